using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Conflicts;
using FunctionsSync.Core.Ingestion;
using FunctionsSync.Core.Runs;

namespace FunctionsSync.Core.Sync;

/// <summary>What a written page does to its run: counters, entity state, record errors and conflict counts.</summary>
internal static class PageAccounting
{
    /// <summary>The run after a page: its entity's counters and state (from the cursor as the page left it), record errors, conflict counts.</summary>
    public static SyncRun Apply(SyncRun run, EntityCursor cursor, FetchPage page, IngestResult result, long pageSeq, IReadOnlyList<DetectedConflict> detected, int maxRecordErrors, DateTimeOffset now)
    {
        var progress = run.Entity(cursor.EntityType)!;
        var counters = progress.Counters with
        {
            Created = progress.Counters.Created + result.Created,
            Updated = progress.Counters.Updated + result.Updated,
            Unchanged = progress.Counters.Unchanged + result.Unchanged,
            Failed = progress.Counters.Failed + result.Failed + page.Rejected.Count,
            Skipped = progress.Counters.Skipped + result.Skipped,
            ReportedTotal = cursor.ReportedTotal,
            Expected = cursor.Expected,
            Missing = cursor.Completed ? cursor.Shortfall : 0,
        };
        var errors = run.RecordErrors
            .Concat(page.Rejected.Select(r => r.Reason))
            .Concat(result.Errors)
            .Take(maxRecordErrors)
            .ToList();
        var conflictCounts = new Dictionary<string, long>(run.Conflicts);
        foreach (var conflict in detected)
        {
            conflictCounts[conflict.Type.ToWire()] = conflictCounts.GetValueOrDefault(conflict.Type.ToWire()) + 1;
        }

        return run.WithEntity(progress with { Counters = counters, State = cursor.Completed ? EntityRunState.Done : EntityRunState.Running }) with
        {
            Conflicts = conflictCounts,
            // Pages flow: the next one is fetched while this one is written.
            Phase = RunPhase.Ingesting,
            PageSeq = pageSeq,
            RecordErrors = errors,
            UpdatedAt = now,
        };
    }

    /// <summary>Record-level conflicts of a page: rejected records (validation) and what ingestion could not apply.</summary>
    public static List<DetectedConflict> Detected(Records.EntityType type, FetchPage page, IngestResult result)
    {
        var detected = new List<DetectedConflict>(page.Rejected.Count + result.Detected.Count);
        detected.AddRange(page.Rejected.Select(r => new DetectedConflict(ConflictType.ValidationError, type, r.ExternalId, r.Reason)));
        detected.AddRange(result.Detected);
        return detected;
    }
}
