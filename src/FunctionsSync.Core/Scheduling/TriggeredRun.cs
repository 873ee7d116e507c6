using FunctionsSync.Core.Api;

namespace FunctionsSync.Core.Scheduling;

public sealed record TriggeredRun(string RunId, string ConnectionId, string StatusUrl);
