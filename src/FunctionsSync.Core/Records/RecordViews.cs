namespace FunctionsSync.Core.Records;

/// <param name="ChangedLocally">A downstream system changed it (PUT) since the marketplace version it is based on.</param>
/// <param name="Deleted">A full run found it deleted at the marketplace: a tombstone, its last version kept.</param>
/// <param name="DeletedAt">When that run found it gone.</param>
public sealed record RecordView(System.Text.Json.JsonElement Record, bool ChangedLocally, DateTimeOffset SourceUpdatedAt, DateTimeOffset WrittenAt, bool Deleted, DateTimeOffset? DeletedAt);

public sealed record RecordListView(IReadOnlyList<RecordView> Records, string? ContinuationToken);
