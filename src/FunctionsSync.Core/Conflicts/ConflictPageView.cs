namespace FunctionsSync.Core.Conflicts;

/// <param name="ContinuationToken">Pass back for the next page; absent after the last.</param>
public sealed record ConflictPageView(IReadOnlyList<ConflictView> Conflicts, string? ContinuationToken);
