using System.Text.Json;
using FunctionsSync.Core.Api;
using FunctionsSync.Core.Conflicts;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;

namespace FunctionsSync.Core.Webhooks;

/// <summary>The events a state change produces, as outbox rows: <c>{type, timestamp, data}</c> bodies.</summary>
public static class WebhookPayloads
{
    public static OutboxEvent ForRun(string type, SyncRun run, DateTimeOffset now)
    {
        var counters = run.Counters;
        var data = new
        {
            runId = run.RunId,
            connectionId = run.ConnectionId,
            organizationId = run.OrganizationId,
            marketplace = run.Marketplace,
            mode = run.Mode,
            trigger = run.Trigger,
            status = run.Status,
            startedAt = run.StartedAt,
            finishedAt = run.FinishedAt,
            counters = new { created = counters.Created, updated = counters.Updated, unchanged = counters.Unchanged, failed = counters.Failed, skipped = counters.Skipped, deleted = counters.Deleted },
            conflicts = run.Conflicts.Count == 0 ? null : run.Conflicts,
            error = run.Error,
        };
        return Make(RunEventId(run.RunId, type), type, run.OrganizationId, run.ConnectionId, now, data);
    }

    /// <summary>One event per run and type: a checkpoint written again after a crash yields the same id.</summary>
    public static string RunEventId(string runId, string type) => DeliveryIds.EventIdFor($"{runId}|{type}");

    public static OutboxEvent ForConflict(Conflict conflict, DateTimeOffset now)
    {
        var data = new
        {
            conflictId = conflict.Id,
            connectionId = conflict.ConnectionId,
            organizationId = conflict.OrganizationId,
            type = conflict.Type,
            status = conflict.Status,
            entityType = conflict.EntityType?.ToWire(),
            externalId = conflict.ExternalId,
            message = conflict.Message,
            runId = conflict.RunId,
        };
        // A conflict opened again later is a new event; the same detection repeated (a page replayed) is not.
        return Make(DeliveryIds.EventIdFor($"{conflict.Id}|{conflict.Occurrence}"), WebhookEventTypes.ConflictCreated, conflict.OrganizationId, conflict.ConnectionId, now, data);
    }

    /// <summary>A tombstone: one event per record and run, so a reconciliation repeated after a crash yields the same id.</summary>
    public static OutboxEvent ForDeletedRecord(string runId, string connectionId, string organizationId, string marketplace, EntityType entityType, string externalId, DateTimeOffset now)
    {
        var data = new { connectionId, organizationId, marketplace, entityType = entityType.ToWire(), externalId, deletedAt = now, runId };
        return Make(DeliveryIds.EventIdFor($"{runId}|{entityType.ToWire()}|{externalId}|deleted"), WebhookEventTypes.RecordDeleted, organizationId, connectionId, now, data);
    }

    /// <summary><c>connection.stale</c> or <c>connection.fresh</c>, as the run <paramref name="run"/> found it: one per run and type.</summary>
    public static OutboxEvent ForFreshness(string type, SyncRun run, int objectiveMinutes, IReadOnlyList<FreshnessView> freshness, DateTimeOffset now)
    {
        var data = new
        {
            connectionId = run.ConnectionId,
            organizationId = run.OrganizationId,
            marketplace = run.Marketplace,
            runId = run.RunId,
            objectiveSeconds = objectiveMinutes * 60,
            freshness = freshness.Select(f => new { entityType = f.EntityType, changes = f.Changes, p50Seconds = f.P50Seconds, p95Seconds = f.P95Seconds }),
        };
        return Make(RunEventId(run.RunId, type), type, run.OrganizationId, run.ConnectionId, now, data);
    }

    private static OutboxEvent Make(string eventId, string type, string organizationId, string connectionId, DateTimeOffset now, object data)
    {
        var payload = JsonSerializer.Serialize(new { type, timestamp = now, data }, ApiJson.Options);
        return new OutboxEvent(eventId, type, organizationId, connectionId, now, payload);
    }
}
