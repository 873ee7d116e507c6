namespace FunctionsSync.Core.Ingestion;

/// <summary>One page of a connection's stored records of one entity type; the token (opaque) reads the next page.</summary>
public sealed record RecordPage(IReadOnlyList<StoredRecord> Items, string? ContinuationToken);
