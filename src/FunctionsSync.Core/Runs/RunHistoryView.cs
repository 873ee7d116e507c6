using FunctionsSync.Core.Api;

namespace FunctionsSync.Core.Runs;

/// <summary>A page of runs, newest first; pass <see cref="ContinuationToken"/> back for the next page (null: no more).</summary>
public sealed record RunHistoryView(IReadOnlyList<RunView> Runs, string? ContinuationToken);
