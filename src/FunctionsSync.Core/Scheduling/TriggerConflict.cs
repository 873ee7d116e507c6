using FunctionsSync.Core.Api;

namespace FunctionsSync.Core.Scheduling;

public sealed record TriggerConflict(string ConnectionId, string? ActiveRunId, string StatusUrl);
