namespace FunctionsSync.Core.Conflicts;

public sealed record ConflictPage(IReadOnlyList<Conflict> Items, string? ContinuationToken);
