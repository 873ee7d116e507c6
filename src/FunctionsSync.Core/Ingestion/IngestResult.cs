namespace FunctionsSync.Core.Ingestion;

public sealed record IngestResult(int Created, int Updated, int Unchanged, int Failed, IReadOnlyList<string> Errors)
{
    public static IngestResult Empty { get; } = new(0, 0, 0, 0, []);

    public IngestResult Add(IngestResult other) =>
        new(Created + other.Created, Updated + other.Updated, Unchanged + other.Unchanged, Failed + other.Failed, [.. Errors, .. other.Errors]);
}
