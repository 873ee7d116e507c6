namespace FunctionsSync.Core.Runs;

/// <summary>One page of a connection's runs, newest first; the token (opaque) reads the next page.</summary>
public sealed record RunPage(IReadOnlyList<SyncRun> Items, string? ContinuationToken);
