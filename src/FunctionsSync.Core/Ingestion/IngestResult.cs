using FunctionsSync.Core.Conflicts;

namespace FunctionsSync.Core.Ingestion;

/// <param name="Skipped">Records not applied because they conflict; each is in <paramref name="Conflicts"/>.</param>
public sealed record IngestResult(int Created, int Updated, int Unchanged, int Failed, IReadOnlyList<string> Errors, int Skipped = 0, IReadOnlyList<DetectedConflict>? Conflicts = null)
{
    public static IngestResult Empty { get; } = new(0, 0, 0, 0, []);

    public IReadOnlyList<DetectedConflict> Detected => Conflicts ?? [];

    public IngestResult Add(IngestResult other) =>
        new(Created + other.Created, Updated + other.Updated, Unchanged + other.Unchanged, Failed + other.Failed, [.. Errors, .. other.Errors],
            Skipped + other.Skipped, [.. Detected, .. other.Detected]);
}
