namespace FunctionsSync.Core.Ingestion;

public enum RecordChange
{
    Created,
    Updated,
    Unchanged,

    /// <summary>Not applied: the record conflicts (counted as skipped).</summary>
    Conflicted,
}
