namespace FunctionsSync.Core.Orchestration;

/// <param name="Owner">The orchestration instance id: it holds the connection's lease from page to page.</param>
public sealed record PageRequest(string RunId, string ConnectionId, string Owner);
