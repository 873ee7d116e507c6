namespace FunctionsSync.Core.Api;

// The API's list and acknowledgement answers, as records so the OpenAPI document can describe them (ApiContracts).

public sealed record ConnectionListView(IReadOnlyList<ConnectionView> Connections);

/// <param name="ContinuationToken">Pass back for the next page; absent after the last.</param>
public sealed record ConflictPageView(IReadOnlyList<ConflictView> Conflicts, string? ContinuationToken);

public sealed record WebhookListView(IReadOnlyList<WebhookEndpointView> Webhooks);

public sealed record DeliveryListView(IReadOnlyList<WebhookDeliveryView> Deliveries);

public sealed record ActivityView(DateTimeOffset At, string? Actor, string? Action, string? Subject, string? Details);

public sealed record ActivityListView(IReadOnlyList<ActivityView> Activity);

/// <param name="NextRunAt">After an interval change: the next cycle.</param>
public sealed record ScheduleView(bool Enabled, string Schedule, DateTimeOffset? NextRunAt = null);

/// <param name="Conflicts">Connections that already had an active run (nothing was queued for them).</param>
public sealed record TriggerAccepted(IReadOnlyList<TriggeredRun> Runs, IReadOnlyList<TriggerConflict> Conflicts);

/// <param name="ChangedLocally">A downstream system changed it (PUT) since the marketplace version it is based on.</param>
public sealed record RecordView(System.Text.Json.JsonElement Record, bool ChangedLocally, DateTimeOffset SourceUpdatedAt, DateTimeOffset WrittenAt);

public sealed record RecordListView(IReadOnlyList<RecordView> Records, string? ContinuationToken);

public sealed record RunListView(IReadOnlyList<RunView> Runs);
