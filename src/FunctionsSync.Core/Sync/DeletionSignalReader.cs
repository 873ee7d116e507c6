using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Deletions;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Core.Sync;

/// <summary>
/// At the end of an incremental run, the deletions the marketplace itself lists (<see cref="IDeletionSignals"/>) for
/// each feed read whole: the named records still live become tombstones, each with its <c>record.deleted</c> event.
/// Read from where the last run read them to (<see cref="EntityCursor.DeletionsReadTo"/>), so a run that fails here
/// leaves the next one to read them again; tombstoning is idempotent.
/// </summary>
public sealed class DeletionSignalReader(IRecordReconciliation reconciliation, RunCheckpoints checkpoints, IOptions<SyncOptions> options, TimeProvider time, ILogger<ConnectionSyncer> logger)
{
    /// <returns>The cursors of the feeds read, with where their deletions were read to and their stored counts lowered (saved with the run's end).</returns>
    internal async Task<IReadOnlyList<EntityCursor>> ReadAsync(RunAttempt attempt)
    {
        var cursors = new List<EntityCursor>();
        if (attempt.Run.Mode != SyncMode.Incremental || attempt.Adapter is not IDeletionSignals signals)
        {
            return cursors;
        }

        foreach (var entity in attempt.Run.Entities.Where(e => e.State == EntityRunState.Done && signals.DeletionSignals.Contains(e.EntityType)))
        {
            if (attempt.StoredCursor(entity.EntityType) is not { } cursor || (cursor.DeletionsReadTo ?? cursor.RunSince) is not { } since)
            {
                // A feed read whole (a first run): nothing stored can have been deleted unseen since.
                continue;
            }

            // What is listed from now on is the next run's, with an overlap for events made visible late.
            var readTo = time.GetUtcNow() - options.Value.OverlapWindow;
            var feed = new ReconcileFeed(attempt.Run.RunId, attempt.Connection.Id, attempt.Connection.OrganizationId, attempt.Connection.Marketplace, entity.EntityType, time.GetUtcNow());
            long tombstoned = 0;
            string? token = null;
            do
            {
                var page = await signals.FetchDeletionsAsync(attempt.Connection, entity.EntityType, since, token, CancellationToken.None);
                if (page.ExternalIds.Count > 0)
                {
                    var tombstones = await reconciliation.TombstoneAsync(feed, [.. page.ExternalIds.Distinct()], CancellationToken.None);
                    tombstoned += tombstones.Count;
                    await checkpoints.SignalAsync(tombstones.Events);
                }

                token = page.NextPageToken;
            }
            while (token is not null);

            if (tombstoned > 0)
            {
                logger.Tombstoned(attempt.Run.RunId, tombstoned, entity.EntityType.ToWire());
                cursor = attempt.Tombstoned(entity.EntityType, tombstoned) ?? cursor;
            }

            cursors.Add(cursor with { DeletionsReadTo = readTo > since ? readTo : since });
        }

        return cursors;
    }
}
