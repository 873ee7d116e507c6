using FunctionsSync.Core.Orchestration;
using FunctionsSync.Core.Runs;
using Moq;

namespace FunctionsSync.UnitTests.Orchestration;

public sealed class SyncCycleOrchestrationTests
{
    private static readonly ActivityRetry Retry = new(3, TimeSpan.FromSeconds(1), 2, TimeSpan.FromSeconds(10));

    private static CyclePlan Plan(int orgCap, int globalCap, params (string Run, string Org)[] runs) => new(
        "full-1", [.. runs.Select(r => new PlannedRun(r.Run, "c" + r.Run, r.Org, r.Run))], orgCap, globalCap, 10, Retry, TimeSpan.FromMinutes(1),
        new CycleCounts(runs.Length, runs.Length, 0, 0, 0, 0));

    [Fact]
    public void Startable_runs_follow_plan_order_within_the_global_and_organization_caps()
    {
        var plan = Plan(2, 3, ("a1", "A"), ("a2", "A"), ("a3", "A"), ("b1", "B"), ("b2", "B"));
        Assert.Equal(["a1", "a2", "b1"], SyncCycleOrchestration.StartableRuns(plan.Runs, 0, new Dictionary<string, int>(), plan).Select(r => r.RunId));
        Assert.Equal(["b1", "b2"], SyncCycleOrchestration.StartableRuns(plan.Runs.Skip(2).ToList(), 1, new Dictionary<string, int> { ["A"] = 2 }, plan).Select(r => r.RunId));
    }

    [Fact]
    public async Task A_cycle_fans_out_within_the_caps_fans_in_and_records_its_summary()
    {
        // Without xUnit's context the orchestration's continuations run inline on SetResult, as a Durable replay
        // would step them: each assertion then sees a settled state instead of racing a pool thread.
        SynchronizationContext.SetSynchronizationContext(null);
        var plan = Plan(2, 3, ("a1", "A"), ("a2", "A"), ("a3", "A"), ("b1", "B"));
        var context = new Mock<IOrchestrationCalls>(MockBehavior.Strict);
        context.Setup(c => c.SetStatus(It.IsAny<object>()));
        context.Setup(c => c.CallActivityAsync<CyclePlan>(OrchestrationNames.PlanCycle, It.IsAny<object>(), null)).ReturnsAsync(plan);
        var started = new List<string>();
        var children = new Dictionary<string, TaskCompletionSource<PageResult>>();
        context.Setup(c => c.CallSubOrchestratorAsync<PageResult>(OrchestrationNames.ConnectionSync, It.IsAny<string>(), It.IsAny<object>()))
            .Returns((string _, string id, object input) =>
            {
                Assert.Equal(id, ((ConnectionSyncInput)input).RunId);
                started.Add(id);
                return (children[id] = new TaskCompletionSource<PageResult>()).Task;
            });
        CycleRecord? recorded = null;
        context.Setup(c => c.CallActivityAsync<bool>(OrchestrationNames.RecordCycle, It.IsAny<object>(), Retry))
            .Callback((string _, object input, ActivityRetry? _) => recorded = (CycleRecord)input)
            .ReturnsAsync(true);

        var cycle = SyncCycleOrchestration.RunAsync(context.Object, new CycleInput("full", null));

        Assert.Equal(["a1", "a2", "b1"], started);
        children["b1"].SetResult(new PageResult(PageResultKind.Done, RunStatus.Succeeded, 1, 1, null, null));
        Assert.Equal(3, started.Count);
        children["a1"].SetResult(new PageResult(PageResultKind.Done, RunStatus.Succeeded, 1, 1, null, null));
        Assert.Equal(["a1", "a2", "b1", "a3"], started);
        children["a2"].SetException(new InvalidOperationException("boom"));
        children["a3"].SetResult(new PageResult(PageResultKind.Done, RunStatus.Failed, 0, 1, null, "auth"));

        var result = await cycle;
        Assert.Equal(4, result.Started);
        Assert.Equal(2, result.Succeeded);
        Assert.Equal(2, result.Failed);
        Assert.Contains(result.Runs, r => r.Message?.Contains("boom") == true);
        Assert.Same(plan, recorded!.Plan);
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
