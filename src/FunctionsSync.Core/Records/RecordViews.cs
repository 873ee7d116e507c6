namespace FunctionsSync.Core.Records;

/// <param name="ChangedLocally">A downstream system changed it (PUT) since the marketplace version it is based on.</param>
public sealed record RecordView(System.Text.Json.JsonElement Record, bool ChangedLocally, DateTimeOffset SourceUpdatedAt, DateTimeOffset WrittenAt);

public sealed record RecordListView(IReadOnlyList<RecordView> Records, string? ContinuationToken);
