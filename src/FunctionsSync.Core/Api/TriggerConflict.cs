namespace FunctionsSync.Core.Api;

public sealed record TriggerConflict(string ConnectionId, string? ActiveRunId, string StatusUrl);
