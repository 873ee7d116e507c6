namespace FunctionsSync.Core.Ingestion;

/// <summary>What the store holds for a record, as far as ingestion decisions need it.</summary>
/// <param name="Change">What the write that produced this version was, so a repeated page counts it the same way.</param>
/// <param name="Hash">Content hash of the marketplace version the record is based on.</param>
/// <param name="LocalHash">Content hash of a local change made since; null when the record is as the marketplace sent it.</param>
/// <param name="DeletedAt">When a full run found the record deleted at the marketplace (a tombstone); null while it lives.</param>
public sealed record StoredRecordState(string Hash, DateTimeOffset SourceUpdatedAt, string? RunId, long PageSeq, RecordChange Change, string? LocalHash = null, DateTimeOffset? DeletedAt = null)
{
    public bool Deleted => DeletedAt is not null;
}
