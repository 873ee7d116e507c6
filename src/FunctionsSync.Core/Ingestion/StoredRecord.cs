using FunctionsSync.Core.Records;

namespace FunctionsSync.Core.Ingestion;

/// <param name="WrittenAt">When the store last wrote the row (the storage timestamp).</param>
public sealed record StoredRecord(CanonicalRecord Record, StoredRecordState State, DateTimeOffset WrittenAt);
