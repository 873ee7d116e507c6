using FunctionsSync.Core.Scheduling;
using FunctionsSync.Core.Orchestration;
using FunctionsSync.Core.Runs;
using Moq;

namespace FunctionsSync.UnitTests.Orchestration;

public sealed class SyncCycleOrchestrationTests
{
    private static readonly ActivityRetry Retry = new(3, TimeSpan.FromSeconds(1), 2, TimeSpan.FromSeconds(10));

    private static PlannedRun Run(string run, string org) => new(run, "c" + run, org, run);

    private static CyclePlan Plan(int lanes, int globalCap, params (string Run, string Org)[] runs) => new(
        "full-1", [.. runs.Select(r => Run(r.Run, r.Org))], 2, globalCap, 10, Retry, TimeSpan.FromMinutes(1),
        new CycleCounts(runs.Length, runs.Length, 0, 0, 0, 0), lanes, 100);

    private static LaneInput Lane(int concurrency, int orgCap, int perGeneration, params (string Run, string Org)[] runs) => new(
        "full-1", 0, [.. runs.Select(r => Run(r.Run, r.Org))], concurrency, orgCap, perGeneration, 10, Retry, TimeSpan.FromMinutes(1), CycleTotals.None);

    private static readonly PageResult Succeeded = new(PageResultKind.Done, RunStatus.Succeeded, 1, 1, null, null);

    [Fact]
    public void Startable_runs_follow_plan_order_within_the_lane_and_organization_caps()
    {
        var runs = Lane(3, 2, 100, ("a1", "A"), ("a2", "A"), ("a3", "A"), ("b1", "B"), ("b2", "B")).Runs;
        Assert.Equal(["a1", "a2", "b1"], CycleLaneOrchestration.StartableRuns(runs, 0, new Dictionary<string, int>(), 3, 2).Select(r => r.RunId));
        Assert.Equal(["b1", "b2"], CycleLaneOrchestration.StartableRuns(runs.Skip(2).ToList(), 1, new Dictionary<string, int> { ["A"] = 2 }, 3, 2).Select(r => r.RunId));
    }

    [Fact]
    public void Lanes_keep_each_organization_whole_balance_sizes_and_keep_plan_order()
    {
        var runs = new[] { Run("a1", "A"), Run("b1", "B"), Run("a2", "A"), Run("c1", "C"), Run("a3", "A"), Run("d1", "D"), Run("b2", "B") };

        var lanes = CycleLanes.Split(runs, 2);

        // A (3 runs) first on lane 0; B (2) on lane 1; C evens lane 1 to 3; D goes to the lower of two equal lanes.
        Assert.Equal([["a1", "a2", "a3", "d1"], ["b1", "c1", "b2"]], lanes.Select(l => l.Select(r => r.RunId).ToArray()).ToArray());
        Assert.Equal(runs.Length, lanes.Sum(l => l.Count));
        Assert.All(runs.GroupBy(r => r.OrganizationId), org => Assert.Single(lanes, l => l.Any(r => r.OrganizationId == org.Key)));
        Assert.Single(CycleLanes.Split(runs.Where(r => r.OrganizationId == "A").ToList(), 8));
        Assert.Empty(CycleLanes.Split([], 8));
        Assert.Equal(50, Enumerable.Range(0, 8).Sum(lane => CycleLanes.Concurrency(50, 8, lane)));
        Assert.Equal([7, 7, 6, 6, 6, 6, 6, 6], Enumerable.Range(0, 8).Select(lane => CycleLanes.Concurrency(50, 8, lane)));
        Assert.Equal(1, CycleLanes.Concurrency(3, 8, 7));
    }

    [Fact]
    public async Task A_lane_fans_out_within_its_caps_and_fans_in_its_totals()
    {
        // Without xUnit's context the orchestration's continuations run inline on SetResult, as a Durable replay
        // would step them: each assertion then sees a settled state instead of racing a pool thread.
        SynchronizationContext.SetSynchronizationContext(null);
        var context = new Mock<IOrchestrationCalls>(MockBehavior.Strict);
        context.Setup(c => c.SetStatus(It.IsAny<object>()));
        var (started, children) = Children(context);

        var lane = CycleLaneOrchestration.RunAsync(context.Object, Lane(3, 2, 100, ("a1", "A"), ("a2", "A"), ("a3", "A"), ("b1", "B")));

        Assert.Equal(["a1", "a2", "b1"], started);
        children["b1"].SetResult(Succeeded);
        Assert.Equal(3, started.Count);
        children["a1"].SetResult(Succeeded);
        Assert.Equal(["a1", "a2", "b1", "a3"], started);
        children["a2"].SetException(new InvalidOperationException("boom"));
        children["a3"].SetResult(new PageResult(PageResultKind.Done, RunStatus.Failed, 0, 1, null, "auth"));

        var totals = (await lane)!;
        Assert.Equal((4, 2, 2, 0), (totals.Started, totals.Succeeded, totals.Failed, totals.Dropped));
        Assert.Contains(totals.Errors, e => e.Contains("boom"));
        Assert.Contains("auth", totals.Errors);
    }

    [Fact]
    public async Task A_lane_drains_its_generation_and_continues_as_new_with_the_rest_and_its_totals()
    {
        SynchronizationContext.SetSynchronizationContext(null);
        var context = new Mock<IOrchestrationCalls>(MockBehavior.Strict);
        context.Setup(c => c.SetStatus(It.IsAny<object>()));
        LaneInput? next = null;
        context.Setup(c => c.ContinueAsNew(It.IsAny<object>())).Callback((object input) => next = (LaneInput)input);
        var (started, children) = Children(context);

        var lane = CycleLaneOrchestration.RunAsync(context.Object, Lane(5, 5, 2, ("a1", "A"), ("b1", "B"), ("c1", "C")));

        // Two starts fill the generation: the third run waits for the next one even with capacity free.
        Assert.Equal(["a1", "b1"], started);
        children["a1"].SetResult(Succeeded);
        Assert.Equal(["a1", "b1"], started);
        children["b1"].SetResult(new PageResult(PageResultKind.Done, null, 0, 0, null, "dropped"));

        Assert.Null(await lane);
        Assert.Equal(["c1"], next!.Runs.Select(r => r.RunId));
        Assert.Equal((1, 2, 1, 0, 1), (next.Generation, next.Totals.Started, next.Totals.Succeeded, next.Totals.Failed, next.Totals.Dropped));
    }

    [Fact]
    public async Task A_cycle_plans_runs_its_lanes_sums_their_totals_and_records_its_summary()
    {
        SynchronizationContext.SetSynchronizationContext(null);
        var plan = Plan(2, 5, ("a1", "A"), ("a2", "A"), ("b1", "B"), ("c1", "C"));
        var context = new Mock<IOrchestrationCalls>(MockBehavior.Strict);
        context.Setup(c => c.SetStatus(It.IsAny<object>()));
        context.Setup(c => c.CallActivityAsync<CyclePlan>(OrchestrationNames.PlanCycle, It.IsAny<object>(), null)).ReturnsAsync(plan);
        var lanes = new Dictionary<string, (LaneInput Input, TaskCompletionSource<CycleTotals> Done)>();
        context.Setup(c => c.CallSubOrchestratorAsync<CycleTotals>(OrchestrationNames.CycleLane, It.IsAny<string>(), It.IsAny<object>()))
            .Returns((string _, string id, object input) => (lanes[id] = ((LaneInput)input, new TaskCompletionSource<CycleTotals>())).Done.Task);
        CycleRecord? recorded = null;
        context.Setup(c => c.CallActivityAsync<bool>(OrchestrationNames.RecordCycle, It.IsAny<object>(), Retry))
            .Callback((string _, object input, ActivityRetry? _) => recorded = (CycleRecord)input)
            .ReturnsAsync(true);

        var cycle = SyncCycleOrchestration.RunAsync(context.Object, new CycleInput(CycleKind.Full, null));

        Assert.Equal(["full-1-lane-0", "full-1-lane-1"], lanes.Keys.Order());
        Assert.Equal(["a1", "a2"], lanes["full-1-lane-0"].Input.Runs.Select(r => r.RunId));
        Assert.Equal(["b1", "c1"], lanes["full-1-lane-1"].Input.Runs.Select(r => r.RunId));
        Assert.Equal((3, 2, 2), (lanes["full-1-lane-0"].Input.Concurrency, lanes["full-1-lane-1"].Input.Concurrency, lanes["full-1-lane-0"].Input.OrganizationConcurrency));
        lanes["full-1-lane-0"].Done.SetResult(new CycleTotals(2, 2, 0, 0, []));
        Assert.Null(recorded);
        lanes["full-1-lane-1"].Done.SetException(new InvalidOperationException("lane crashed"));

        var result = await cycle;
        Assert.Equal((2, 4, 2, 2), (result.Lanes, result.Started, result.Succeeded, result.Failed));
        Assert.Contains(result.Totals.Errors, e => e.Contains("lane crashed"));
        Assert.Same(plan, recorded!.Plan);
        Assert.Same(result, recorded.Result);
    }

    /// <summary>Each run's first slice, a SyncPage activity of the lane owned by the run's instance id, by run id.</summary>
    private static (List<string> Started, Dictionary<string, TaskCompletionSource<PageResult>> Children) Children(Mock<IOrchestrationCalls> context)
    {
        var started = new List<string>();
        var children = new Dictionary<string, TaskCompletionSource<PageResult>>();
        context.Setup(c => c.CallActivityAsync<PageResult>(OrchestrationNames.SyncPage, It.IsAny<object>(), Retry))
            .Returns((string _, object input, ActivityRetry? _) =>
            {
                var request = (PageRequest)input;
                Assert.Equal(request.RunId, request.Owner);
                started.Add(request.RunId);
                return (children[request.RunId] = new TaskCompletionSource<PageResult>()).Task;
            });
        return (started, children);
    }

    [Fact]
    public async Task A_run_with_more_than_one_slice_goes_on_as_its_own_orchestration_keeping_its_organizations_place()
    {
        SynchronizationContext.SetSynchronizationContext(null);
        var context = new Mock<IOrchestrationCalls>(MockBehavior.Strict);
        context.Setup(c => c.SetStatus(It.IsAny<object>()));
        var (started, slices) = Children(context);
        var continued = new Dictionary<string, TaskCompletionSource<PageResult>>();
        context.Setup(c => c.CallSubOrchestratorAsync<PageResult>(OrchestrationNames.ConnectionSync, It.IsAny<string>(), It.IsAny<object>()))
            .Returns((string _, string id, object input) =>
            {
                Assert.Equal(id, ((ConnectionSyncInput)input).RunId);
                return (continued[id] = new TaskCompletionSource<PageResult>()).Task;
            });

        var lane = CycleLaneOrchestration.RunAsync(context.Object, Lane(5, 1, 100, ("a1", "A"), ("a2", "A"), ("b1", "B")));

        // One per organization: a2 waits for a1, whose first slice had more to do, until its orchestration ends.
        Assert.Equal(["a1", "b1"], started);
        slices["b1"].SetResult(Succeeded);
        slices["a1"].SetResult(new PageResult(PageResultKind.More, RunStatus.Running, 50, 500, null, null));
        Assert.Equal(["a1"], continued.Keys);
        Assert.Equal(["a1", "b1"], started);
        continued["a1"].SetResult(Succeeded);
        Assert.Equal(["a1", "b1", "a2"], started);
        slices["a2"].SetResult(new PageResult(PageResultKind.Done, RunStatus.Failed, 0, 0, null, "auth"));

        var totals = (await lane)!;
        Assert.Equal((3, 2, 1), (totals.Started, totals.Succeeded, totals.Failed));
        // A run done in its first slice has no orchestration of its own.
        Assert.Single(continued);
    }

    [Fact]
    public async Task Connection_sync_steps_page_by_page_waits_when_busy_or_paused_and_continues_as_new()
    {
        var context = new Mock<IOrchestrationCalls>(MockBehavior.Strict);
        context.SetupGet(c => c.InstanceId).Returns("run-1");
        context.Setup(c => c.SetStatus(It.IsAny<object>()));
        context.SetupSequence(c => c.CallActivityAsync<PageResult>(OrchestrationNames.SyncPage, It.Is<object>(o => ((PageRequest)o).Owner == "run-1"), Retry))
            .ReturnsAsync(new PageResult(PageResultKind.More, RunStatus.Running, 100, 500, null, null))
            .ReturnsAsync(new PageResult(PageResultKind.Busy, RunStatus.Running, 100, 500, TimeSpan.FromSeconds(7), "leased"))
            .ReturnsAsync(new PageResult(PageResultKind.Paused, RunStatus.Paused, 100, 500, null, null))
            .ReturnsAsync(new PageResult(PageResultKind.Done, RunStatus.Succeeded, 500, 500, null, null));
        context.Setup(c => c.DelayAsync(TimeSpan.FromSeconds(7))).Returns(Task.CompletedTask);
        context.Setup(c => c.WaitForEventAsync(OrchestrationNames.ResumeEvent, TimeSpan.FromMinutes(3))).ReturnsAsync(true);
        var input = new ConnectionSyncInput("run-1", "c1", 10, Retry, TimeSpan.FromMinutes(3));

        var result = await ConnectionSyncOrchestration.RunAsync(context.Object, input);

        Assert.Equal(PageResultKind.Done, result!.Kind);
        context.Verify(c => c.DelayAsync(TimeSpan.FromSeconds(7)), Times.Once);
        context.Verify(c => c.WaitForEventAsync(OrchestrationNames.ResumeEvent, TimeSpan.FromMinutes(3)), Times.Once);

        var longRun = new Mock<IOrchestrationCalls>();
        longRun.SetupGet(c => c.InstanceId).Returns("run-2");
        longRun.Setup(c => c.CallActivityAsync<PageResult>(OrchestrationNames.SyncPage, It.IsAny<object>(), Retry))
            .ReturnsAsync(new PageResult(PageResultKind.More, RunStatus.Running, 1, 9, null, null));
        Assert.Null(await ConnectionSyncOrchestration.RunAsync(longRun.Object, input with { PagesPerGeneration = 2 }));
        longRun.Verify(c => c.CallActivityAsync<PageResult>(OrchestrationNames.SyncPage, It.IsAny<object>(), Retry), Times.Exactly(2));
        longRun.Verify(c => c.ContinueAsNew(It.Is<ConnectionSyncInput>(i => i.Generation == 1 && i.RunId == "run-1")));
    }
}
