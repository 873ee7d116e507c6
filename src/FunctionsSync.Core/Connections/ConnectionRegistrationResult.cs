namespace FunctionsSync.Core.Connections;

public sealed record ConnectionRegistrationResult(Connection Connection, bool Created);
