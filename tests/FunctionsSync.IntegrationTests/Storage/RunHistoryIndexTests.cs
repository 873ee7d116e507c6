using FunctionsSync.Core.Retention;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Storage.Sync;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FunctionsSync.IntegrationTests.Storage;

/// <summary>The run history across connections, against Azurite: written as runs end, read by key range, trimmed with its runs.</summary>
[Collection(QuietCollection.Name)]
public sealed class RunHistoryIndexTests(AzuriteFixture storage)
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Ended_runs_list_newest_first_across_connections_by_organization_and_status_and_go_with_their_runs()
    {
        var clock = new FakeTimeProvider(Start);
        await using var services = StorageServices.Create(storage, StorageServices.NewPrefix("hist"),
            new Dictionary<string, string?> { ["Retention:MaxAge"] = "30.00:00:00" },
            s => s.AddSingleton<TimeProvider>(clock));
        var state = services.GetRequiredService<ISyncStateStore>();

        // Ended by a runner's last checkpoint (both lanes write it), and without a runner (a cancelled queued run).
        var old = await EndAsync(state, Run("histA", "org-1", Start.AddDays(-40)), RunStatus.Succeeded);
        var failed = await EndAsync(state, Run("histA", "org-1", Start.AddHours(-3)), RunStatus.Failed);
        var succeeded = await EndAsync(state, Run("histB", "org-1", Start.AddHours(-2)), RunStatus.Succeeded);
        var partial = await EndAsync(state, Run("histB", "org-1", Start.AddHours(-1)), RunStatus.Partial);
        var queued = Run("histC", "org-2", Start.AddMinutes(-30));
        Assert.True((await state.TryQueueRunAsync(queued, null, null, CancellationToken.None)).Queued);
        var cancelled = await state.ChangeUnheldRunAsync(queued.RunId, r => r with { Status = RunStatus.Cancelled, FinishedAt = Start, UpdatedAt = Start }, Start, CancellationToken.None);
        // Still in flight: not history.
        Assert.True((await state.TryQueueRunAsync(Run("histA", "org-1", Start.AddMinutes(-10)), null, null, CancellationToken.None)).Queued);

        Assert.Equal([cancelled!.RunId, partial.RunId, succeeded.RunId, failed.RunId, old.RunId], await AllAsync(state, null, null, 2));
        Assert.Equal([partial.RunId, succeeded.RunId, failed.RunId, old.RunId], await AllAsync(state, "org-1", null, 3));
        Assert.Equal([succeeded.RunId, old.RunId], await AllAsync(state, null, RunStatus.Succeeded, 1));
        Assert.Equal([failed.RunId], await AllAsync(state, "org-1", RunStatus.Failed, 10));
        Assert.Empty(await AllAsync(state, "org-2", RunStatus.Failed, 10));
        Assert.Equal(RunStatus.Partial, (await state.ListEndedRunsAsync(null, RunStatus.Partial, 10, null, CancellationToken.None)).Items.Single().Status);
        await Assert.ThrowsAsync<FormatException>(() => state.ListEndedRunsAsync(null, null, 10, "not-a-token", CancellationToken.None));

        // A copy whose connection is gone (no state row for retention to visit) goes by age alone.
        var orphan = Run("histGone", "org-2", Start.AddDays(-50)) with { Status = RunStatus.Failed, FinishedAt = Start.AddDays(-50) };
        await services.GetRequiredService<RunHistoryIndex>().TryWriteAsync(orphan, CancellationToken.None);
        Assert.Contains(orphan.RunId, await AllAsync(state, "org-2", RunStatus.Failed, 10));

        var result = await services.GetRequiredService<IRetention>().RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, result.RunsDeleted);
        Assert.Null(await state.GetRunAsync(old.RunId, CancellationToken.None));
        Assert.Equal([cancelled.RunId, partial.RunId, succeeded.RunId, failed.RunId], await AllAsync(state, null, null, 10));
        Assert.Equal([succeeded.RunId], await AllAsync(state, "org-1", RunStatus.Succeeded, 10));
        Assert.Empty(await AllAsync(state, "org-2", RunStatus.Failed, 10));
        Assert.Equal([failed.RunId], await AllAsync(state, null, RunStatus.Failed, 10));
    }

    private static SyncRun Run(string connectionId, string organizationId, DateTimeOffset at) =>
        TestRuns.New(connectionId, at, RunStatus.Queued) with { OrganizationId = organizationId };

    private static async Task<SyncRun> EndAsync(ISyncStateStore state, SyncRun run, RunStatus status)
    {
        Assert.True((await state.TryQueueRunAsync(run, null, null, CancellationToken.None)).Queued);
        var lease = (await state.TryAcquireLeaseAsync(run.ConnectionId, SyncLane.Main, "runner", TimeSpan.FromMinutes(1), CancellationToken.None)).Lease!;
        var ended = run with { Status = status, StartedAt = run.CreatedAt, FinishedAt = run.CreatedAt.AddMinutes(1), UpdatedAt = run.CreatedAt.AddMinutes(1) };
        await state.CheckpointAsync(lease, new Checkpoint(ended, [], Start, Release: true, ActiveRunId: null), CancellationToken.None);
        return ended;
    }

    /// <summary>Every page of the list, followed by its tokens.</summary>
    private static async Task<List<string>> AllAsync(ISyncStateStore state, string? organizationId, RunStatus? status, int pageSize)
    {
        var ids = new List<string>();
        string? token = null;
        do
        {
            var page = await state.ListEndedRunsAsync(organizationId, status, pageSize, token, CancellationToken.None);
            Assert.True(page.Items.Count <= pageSize);
            ids.AddRange(page.Items.Select(r => r.RunId));
            token = page.ContinuationToken;
        }
        while (token is not null);
        return ids;
    }
}
