using FunctionsSync.Core.Records;

namespace FunctionsSync.Core.Conflicts;

/// <summary>A conflict as ingestion or the syncer meets it, before it is stored.</summary>
/// <param name="Source">The marketplace's version, when there is a record to apply later.</param>
public sealed record DetectedConflict(ConflictType Type, EntityType? EntityType, string? ExternalId, string Message, CanonicalRecord? Source = null);
