namespace FunctionsSync.Core.Api;

public sealed record TriggeredRun(string RunId, string ConnectionId, string StatusUrl);
