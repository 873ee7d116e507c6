namespace FunctionsSync.Core.Orchestration;

/// <summary>
/// The SyncCycle orchestrator's logic: plan (activity) → split the runs into at most <see cref="CyclePlan.Lanes"/>
/// CycleLane sub-orchestrations (an organization's runs in one lane, the global cap shared out) → fan-in their totals →
/// record the summary (activity). Its history holds the plan and one entry per lane, never one per run: each lane keeps
/// its own history bounded by continuing as new. Deterministic: only <see cref="IOrchestrationCalls"/>.
/// </summary>
public static class SyncCycleOrchestration
{
    public static async Task<CycleResult> RunAsync(IOrchestrationCalls context, CycleInput input)
    {
        var plan = input.Plan ?? await context.CallActivityAsync<CyclePlan>(OrchestrationNames.PlanCycle, input, null);
        var lanes = CycleLanes.Split(plan.Runs, plan.Lanes);
        context.SetStatus(new { plan.CycleId, planned = plan.Runs.Count, lanes = lanes.Count });
        var running = lanes.Select((runs, lane) => Outcome(
            context.CallSubOrchestratorAsync<CycleTotals>(OrchestrationNames.CycleLane, CycleLanes.InstanceId(plan.CycleId, lane), new LaneInput(
                plan.CycleId,
                lane,
                runs,
                CycleLanes.Concurrency(plan.GlobalConcurrency, lanes.Count, lane),
                plan.OrganizationConcurrency,
                plan.RunsPerLaneGeneration,
                plan.PagesPerGeneration,
                plan.Retry,
                plan.PausedRecheckInterval,
                CycleTotals.None)),
            runs.Count)).ToList();

        var totals = CycleTotals.None;
        foreach (var lane in await Task.WhenAll(running))
        {
            totals = totals.Add(lane);
        }

        var result = new CycleResult(plan.CycleId, lanes.Count, totals);
        await context.CallActivityAsync<bool>(OrchestrationNames.RecordCycle, new CycleRecord(plan, result), plan.Retry);
        return result;
    }

    private static async Task<CycleTotals> Outcome(Task<CycleTotals> lane, int runs)
    {
        try
        {
            return await lane;
        }
        catch (Exception ex)
        {
            // A lane that failed for good: its runs stay as last checkpointed and the next cycle resumes them.
            return new CycleTotals(runs, 0, runs, 0, [$"CycleLane failed: {ex.Message}"]);
        }
    }
}
