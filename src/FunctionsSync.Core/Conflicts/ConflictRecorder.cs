using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Webhooks;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Core.Conflicts;

/// <summary>
/// Stores what a run detected, applying the automatic policy: <c>duplicate_key</c> is skipped at once,
/// <c>data_mismatch</c> is retried up to <see cref="ConflictOptions.MaxAutoRetries"/> times, the rest wait for a person.
/// </summary>
public sealed class ConflictRecorder(IConflictStore store, IOptions<ConflictOptions> options, TimeProvider time, Telemetry.SyncMetrics metrics, Events.LiveEvents events)
{
    public const string PolicyActor = "policy";

    private const int MaxRaceRetries = 5;

    /// <summary>Stores the detections of one page (or of a failed run, with page 0). Returns the outbox events written.</summary>
    public async Task<IReadOnlyList<OutboxEvent>> RecordAsync(SyncRun run, long pageSeq, IReadOnlyList<DetectedConflict> detected, CancellationToken cancellationToken)
    {
        if (detected.Count == 0)
        {
            return [];
        }

        // The same record twice in one page is one conflict.
        var byId = detected
            .GroupBy(d => ConflictTypes.IdFor(run.ConnectionId, d.Type, d.EntityType, d.ExternalId ?? d.Message))
            .ToDictionary(g => g.Key, g => g.Last());
        return await Storage.Race.RunAsync<IReadOnlyList<OutboxEvent>>(async (_, ct) =>
        {
            var existing = await store.GetManyAsync(run.ConnectionId, byId.Keys, ct);
            var changes = new List<(Conflict, OutboxEvent?)>();
            foreach (var (id, detection) in byId)
            {
                if (Decide(run, pageSeq, id, detection, existing.GetValueOrDefault(id)) is { } change)
                {
                    changes.Add(change);
                }
            }

            try
            {
                await store.SaveAsync(run.ConnectionId, changes, ct);
            }
            catch (ConcurrencyException)
            {
                // A person resolved one of them meanwhile; decide again on what is stored now.
                return Storage.Race.Lost<IReadOnlyList<OutboxEvent>>();
            }

            foreach (var (conflict, _) in changes.Where(c => c.Item2 is not null))
            {
                metrics.RecordConflictOpened(System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(conflict.Type.ToString()));
                events.Conflict(Events.LiveEventTypes.ConflictOpened, conflict);
            }

            return Storage.Race.Won<IReadOnlyList<OutboxEvent>>([.. changes.Where(c => c.Item2 is not null).Select(c => c.Item2!)]);
        }, MaxRaceRetries, $"A conflict of connection {run.ConnectionId}", time, cancellationToken);
    }

    private (Conflict, OutboxEvent?)? Decide(SyncRun run, long pageSeq, string id, DetectedConflict detection, Conflict? existing)
    {
        if (existing is not null && existing.RunId == run.RunId && existing.PageSeq == pageSeq && pageSeq > 0)
        {
            // The same page again (a crash before its checkpoint): the first attempt wrote the conflict and its event.
            return null;
        }

        var now = time.GetUtcNow();
        var source = detection.Source is { } record ? RecordJson.Serialize(record) : null;

        if (existing is { IsClosed: false })
        {
            // Still the same open problem: keep it current, no new event.
            return (existing with { Message = detection.Message, SourceJson = source, RunId = run.RunId, PageSeq = pageSeq, UpdatedAt = now }, null);
        }

        var opened = WithPolicy(new Conflict
        {
            Id = id,
            ConnectionId = run.ConnectionId,
            OrganizationId = run.OrganizationId,
            Type = detection.Type,
            EntityType = detection.EntityType,
            ExternalId = detection.ExternalId,
            Message = detection.Message,
            SourceJson = source,
            RunId = run.RunId,
            PageSeq = pageSeq,
            Occurrence = (existing?.Occurrence ?? 0) + 1,
            DetectedAt = now,
            UpdatedAt = now,
            Version = existing?.Version,
        }, now);
        return (opened, WebhookPayloads.ForConflict(opened, now));
    }

    private Conflict WithPolicy(Conflict conflict, DateTimeOffset now) => conflict.Type switch
    {
        ConflictType.DuplicateKey => conflict with
        {
            Status = ConflictStatus.Skipped, Resolution = ConflictResolution.Skip, ResolvedBy = PolicyActor, ResolvedAt = now,
            Note = "Duplicate keys are skipped automatically; the newest version was kept.",
        },
        ConflictType.DataMismatch when options.Value.MaxAutoRetries > 0 && conflict.SourceJson is not null =>
            conflict with { Status = ConflictStatus.Retrying, NextAttemptAt = now + options.Value.RetryDelay },
        _ => conflict,
    };
}
