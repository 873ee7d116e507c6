using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Api;
using FunctionsSync.Core.Runs;

namespace FunctionsSync.UnitTests.Api;

public sealed class SyncStatusTests
{
    private static SyncRun R(RunStatus status, MarketplaceErrorKind? kind = null) => new()
    {
        RunId = "c-1", ConnectionId = "c", OrganizationId = "o", Marketplace = "shopify", Mode = SyncMode.Incremental,
        Trigger = RunTrigger.Schedule, EntityTypes = [], Status = status, ErrorKind = kind,
    };

    [Fact]
    public void No_runs_is_pending() => Assert.Equal("pending", SyncHistoryStatus.Of([]));

    [Fact]
    public void All_clean_and_last_succeeded_is_success() =>
        Assert.Equal("success", SyncHistoryStatus.Of([R(RunStatus.Succeeded), R(RunStatus.Partial), R(RunStatus.Succeeded)]));

    [Fact]
    public void A_rate_limited_run_in_the_window_makes_it_partial() =>
        Assert.Equal("partial", SyncHistoryStatus.Of([R(RunStatus.Succeeded), R(RunStatus.Failed, MarketplaceErrorKind.RateLimited)]));

    [Fact]
    public void Last_failed_and_no_success_is_failed() =>
        Assert.Equal("failed", SyncHistoryStatus.Of([R(RunStatus.Failed), R(RunStatus.Partial), R(RunStatus.Failed)]));

    [Fact]
    public void Last_failed_after_a_success_is_partial() =>
        Assert.Equal("partial", SyncHistoryStatus.Of([R(RunStatus.Failed), R(RunStatus.Succeeded)]));
}
