namespace FunctionsSync.Core.Ingestion;

/// <summary>What the store holds for a record, as far as ingestion decisions need it.</summary>
/// <param name="Change">What the write that produced this version was, so a repeated page counts it the same way.</param>
public sealed record StoredRecordState(string Hash, DateTimeOffset SourceUpdatedAt, string? RunId, long PageSeq, RecordChange Change);
