using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Storage.Sync;
using FunctionsSync.Storage.Tables;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.Bench;

/// <summary>Seeds finished runs for every connection, as years of syncing would leave them, through Storage's row layer.</summary>
internal static class RunHistory
{
    public static async Task SeedAsync(IServiceProvider services, IConnectionStore store, int runsPerConnection)
    {
        var tables = services.GetRequiredService<TableProvider>();
        var index = services.GetRequiredService<ConnectionStateIndex>();
        var table = await tables.GetAsync(TableNames.SyncState, CancellationToken.None);
        var connections = await store.ListAsync(null, CancellationToken.None);
        // Finished two days ago: every connection is due again, so the cycle plans as many jobs as without history.
        var finishedAt = DateTimeOffset.UtcNow.AddDays(-2);
        await Parallel.ForEachAsync(connections, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (connection, ct) =>
        {
            var batch = new TableBatch();
            SyncRun? last = null;
            for (var i = 0; i < runsPerConnection; i++)
            {
                var at = finishedAt.AddHours(-i);
                last ??= Run(connection, at);
                batch.UpsertReplace(RunRow.ToEntity(i == 0 ? last : Run(connection, at)));
            }

            var lease = new LeaseRow(connection.Id) { Owner = "", ExpiresAt = finishedAt, ActiveRunId = "", OrganizationId = connection.OrganizationId }.WithLastRun(last!);
            batch.UpsertMerge(lease.ToEntity());
            var versions = await batch.SubmitAsync(table, ct);
            await index.WriteAsync(lease with { ETag = versions[^1] }, ct);
        });
    }

    private static SyncRun Run(Connection connection, DateTimeOffset finishedAt) => new()
    {
        RunId = RunIds.New(connection.Id, finishedAt.AddMinutes(-1)),
        ConnectionId = connection.Id,
        OrganizationId = connection.OrganizationId,
        Marketplace = connection.Marketplace,
        Mode = SyncMode.Incremental,
        Trigger = RunTrigger.Schedule,
        EntityTypes = EntityTypes.All,
        Status = RunStatus.Succeeded,
        CreatedAt = finishedAt.AddMinutes(-1),
        StartedAt = finishedAt.AddMinutes(-1),
        UpdatedAt = finishedAt,
        FinishedAt = finishedAt,
    };
}
