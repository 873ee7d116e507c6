using FunctionsSync.Core.Leasing;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;

namespace FunctionsSync.UnitTests.Runs;

public sealed class RunLivenessTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    private static SyncRun Run(RunStatus status) => new()
    {
        RunId = "r1", ConnectionId = "c1", OrganizationId = "o", Marketplace = "shopify", Mode = SyncMode.Full, Trigger = RunTrigger.Manual,
        EntityTypes = [EntityType.Orders], Status = status, UpdatedAt = Now.AddMinutes(-5),
    };

    private static SyncLease LeaseOf(string? runId, DateTimeOffset expires) => new("c1", "runner", expires, "etag", runId);

    [Fact]
    public void A_run_held_by_a_live_lease_is_not_stale_and_its_heartbeat_is_the_last_renewal()
    {
        var liveness = RunLiveness.Of(Run(RunStatus.Running), LeaseOf("r1", Now.AddSeconds(90)), Lease, Now)!;
        Assert.False(liveness.Stale);
        Assert.Equal(Now.AddSeconds(-30), liveness.LastHeartbeatAt);
    }

    [Fact]
    public void A_run_whose_lease_expired_or_names_another_run_or_is_gone_is_stale()
    {
        Assert.True(RunLiveness.Of(Run(RunStatus.Running), LeaseOf("r1", Now.AddSeconds(-1)), Lease, Now)!.Stale);
        Assert.True(RunLiveness.Of(Run(RunStatus.Running), LeaseOf("r2", Now.AddSeconds(90)), Lease, Now)!.Stale);
        var orphan = RunLiveness.Of(Run(RunStatus.Running), null, Lease, Now)!;
        Assert.True(orphan.Stale);
        Assert.Equal(Now.AddMinutes(-5), orphan.LastHeartbeatAt);
    }

    [Theory]
    [InlineData(RunStatus.Queued)]
    [InlineData(RunStatus.Paused)]
    [InlineData(RunStatus.Succeeded)]
    public void Only_running_runs_have_a_liveness(RunStatus status) =>
        Assert.Null(RunLiveness.Of(Run(status), LeaseOf("r1", Now.AddSeconds(90)), Lease, Now));
}
