using FunctionsSync.Core.Api;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Ingestion;
using FunctionsSync.Core.Jobs;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Core.Conflicts;

/// <summary>Settles conflicts: a person's resolution through the API, and the automatic retries of the policy.</summary>
public sealed partial class ConflictResolver(
    IConflictStore store,
    IStoredRecords records,
    IConnectionStore connections,
    RunLauncher launcher,
    IActivityLog activity,
    Events.LiveEvents events,
    IOptions<ConflictOptions> options,
    TimeProvider time,
    ILogger<ConflictResolver> logger)
{
    private DateTimeOffset Now => time.GetUtcNow();

    public async Task<ResolveResult> ResolveAsync(Conflict conflict, ConflictResolution resolution, string actor, string? note, CancellationToken cancellationToken)
    {
        if (conflict.IsClosed)
        {
            return new(conflict, $"The conflict is already {ApiJson.WireName(conflict.Status)}.", RefusalIsConflict: true);
        }

        var source = conflict.SourceJson is { } json ? RecordJson.Deserialize(json) : null;
        Conflict changed;
        string outcome;
        switch (resolution)
        {
            case ConflictResolution.AcceptSource or ConflictResolution.KeepTarget when source is null:
                return new(conflict, $"A {conflict.Type.ToWire()} conflict has no marketplace version to accept or keep; use retry or skip.");
            case ConflictResolution.AcceptSource:
                await records.ApplySourceAsync(conflict.ConnectionId, source!, overrideLocal: true, cancellationToken);
                changed = Closed(conflict, ConflictStatus.Resolved, resolution, actor, note);
                outcome = "the marketplace's version was stored";
                break;
            case ConflictResolution.KeepTarget:
                await records.AcknowledgeSourceAsync(conflict.ConnectionId, source!, cancellationToken);
                changed = Closed(conflict, ConflictStatus.Resolved, resolution, actor, note);
                outcome = "the stored version was kept";
                break;
            case ConflictResolution.Skip:
                if (source is not null)
                {
                    // Skipping a version means not seeing it again when the marketplace sends it again.
                    await records.AcknowledgeSourceAsync(conflict.ConnectionId, source, cancellationToken);
                }

                changed = Closed(conflict, ConflictStatus.Skipped, resolution, actor, note);
                outcome = "skipped";
                break;
            case ConflictResolution.Retry when source is not null:
                if (await records.ApplySourceAsync(conflict.ConnectionId, source, overrideLocal: false, cancellationToken))
                {
                    changed = Closed(conflict, ConflictStatus.Resolved, resolution, actor, note);
                    outcome = "the retry applied the marketplace's version";
                }
                else
                {
                    changed = conflict with { Status = ConflictStatus.Open, NextAttemptAt = null, UpdatedAt = Now, Note = note ?? conflict.Note };
                    outcome = "the retry found the local change still there; the conflict stays open";
                }

                break;
            case ConflictResolution.Retry:
                if (await RetryRunAsync(conflict, cancellationToken) is { } refusal)
                {
                    return new(conflict, refusal, RefusalIsConflict: true);
                }

                changed = Closed(conflict, ConflictStatus.Resolved, resolution, actor, note);
                outcome = "a new run was started";
                break;
            default:
                return new(conflict, $"Unknown resolution {resolution}.");
        }

        try
        {
            await store.SaveAsync(conflict.ConnectionId, [(changed, null)], cancellationToken);
        }
        catch (ConcurrencyException)
        {
            return new(conflict, "The conflict changed meanwhile (a sync or another person); read it again.", RefusalIsConflict: true);
        }

        events.Conflict(Events.LiveEventTypes.ConflictResolved, changed);

        await activity.AppendAsync(new ActivityEntry(conflict.ConnectionId, Now, actor, "conflict.resolved", conflict.Id,
            $"{ApiJson.WireName(resolution)} on {conflict.Type.ToWire()}{Subject(conflict)}: {outcome}{(note is null ? "" : $". Note: {note}")}"), cancellationToken);
        return new(changed);
    }

    /// <summary>The automatic policy: retries due <c>data_mismatch</c> conflicts. Returns how many it settled.</summary>
    public async Task<int> RetryDueAsync(CancellationToken cancellationToken)
    {
        var settled = 0;
        foreach (var conflict in await store.ListDueRetriesAsync(Now, 200, cancellationToken))
        {
            try
            {
                var applied = conflict.SourceJson is { } json
                    && await records.ApplySourceAsync(conflict.ConnectionId, RecordJson.Deserialize(json), overrideLocal: false, cancellationToken);
                var attempts = conflict.Attempts + 1;
                var changed = applied
                    ? Closed(conflict, ConflictStatus.Resolved, ConflictResolution.Retry, ConflictRecorder.PolicyActor, "The local change was gone; applied automatically.") with { Attempts = attempts }
                    : attempts >= options.Value.MaxAutoRetries
                        ? conflict with { Status = ConflictStatus.Open, Attempts = attempts, NextAttemptAt = null, UpdatedAt = Now }
                        : conflict with { Attempts = attempts, NextAttemptAt = Now + options.Value.RetryDelay * Math.Pow(2, attempts), UpdatedAt = Now };
                await store.SaveAsync(conflict.ConnectionId, [(changed, null)], cancellationToken);
                if (applied)
                {
                    settled++;
                    events.Conflict(Events.LiveEventTypes.ConflictResolved, changed);
                    await activity.AppendAsync(new ActivityEntry(conflict.ConnectionId, Now, ConflictRecorder.PolicyActor, "conflict.resolved", conflict.Id,
                        $"retry on {conflict.Type.ToWire()}{Subject(conflict)}: applied automatically on attempt {attempts}"), cancellationToken);
                }
            }
            catch (ConcurrencyException)
            {
                // Resolved by a person meanwhile.
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRetryFailed(ex, conflict.Id);
            }
        }

        return settled;
    }

    /// <summary>A connection-level conflict (or a rejected record) is retried by syncing again; null when a run was started.</summary>
    private async Task<string?> RetryRunAsync(Conflict conflict, CancellationToken cancellationToken)
    {
        var connection = await connections.GetAsync(conflict.ConnectionId, cancellationToken);
        if (connection is null || connection.DeletedAt is not null)
        {
            return "The connection no longer exists.";
        }

        if (conflict.Type == ConflictType.AuthError && connection.Health == ConnectionHealth.NeedsAttention)
        {
            return "The connection's credentials were refused; update them (PATCH /api/connections/{id}) and a run follows.";
        }

        IReadOnlyList<EntityType>? types = conflict.EntityType is { } type ? [type] : null;
        await launcher.LaunchAsync(connection, SyncMode.Incremental, types, RunTrigger.Manual, null, TimeSpan.Zero, cancellationToken);
        return null;
    }

    private Conflict Closed(Conflict conflict, ConflictStatus status, ConflictResolution resolution, string actor, string? note) => conflict with
    {
        Status = status,
        Resolution = resolution,
        ResolvedBy = actor,
        ResolvedAt = Now,
        Note = note,
        NextAttemptAt = null,
        UpdatedAt = Now,
    };

    private static string Subject(Conflict conflict) =>
        conflict.EntityType is { } type ? $" ({type.ToWire()} {conflict.ExternalId})" : "";

    [LoggerMessage(8001, LogLevel.Warning, "Automatic retry of conflict {ConflictId} failed")]
    private partial void LogRetryFailed(Exception exception, string conflictId);
}
