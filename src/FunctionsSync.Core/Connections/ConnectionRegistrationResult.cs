namespace FunctionsSync.Core.Connections;

/// <param name="IssuedSyncToken">The new connection's sync token, shown this once; null when it was registered before.</param>
public sealed record ConnectionRegistrationResult(Connection Connection, bool Created, string? IssuedSyncToken = null);
