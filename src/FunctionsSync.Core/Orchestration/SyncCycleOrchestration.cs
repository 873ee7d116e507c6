namespace FunctionsSync.Core.Orchestration;

/// <summary>
/// The SyncCycle orchestrator's logic: plan (activity) → one ConnectionSync sub-orchestration per planned run, at most
/// <see cref="CyclePlan.GlobalConcurrency"/> in flight and <see cref="CyclePlan.OrganizationConcurrency"/> per
/// organization, in plan order → fan-in → record the summary (activity). Deterministic: only <see cref="IOrchestrationCalls"/>.
/// </summary>
public static class SyncCycleOrchestration
{
    public static async Task<CycleResult> RunAsync(IOrchestrationCalls context, CycleInput input)
    {
        var plan = await context.CallActivityAsync<CyclePlan>(OrchestrationNames.PlanCycle, input, null);
        var pending = new List<PlannedRun>(plan.Runs);
        var running = new Dictionary<Task<PageResult>, PlannedRun>();
        var perOrganization = new Dictionary<string, int>(StringComparer.Ordinal);
        var results = new List<PageResult>();
        context.SetStatus(new { plan.CycleId, planned = plan.Runs.Count, finished = 0 });

        while (pending.Count > 0 || running.Count > 0)
        {
            foreach (var run in StartableRuns(pending, running.Count, perOrganization, plan))
            {
                pending.Remove(run);
                perOrganization[run.OrganizationId] = perOrganization.GetValueOrDefault(run.OrganizationId) + 1;
                var input2 = new ConnectionSyncInput(run.RunId, run.ConnectionId, plan.PagesPerGeneration, plan.Retry, plan.PausedRecheckInterval, Planned: run.Planned);
                running.Add(context.CallSubOrchestratorAsync<PageResult>(OrchestrationNames.ConnectionSync, run.InstanceId, input2), run);
            }

            var finished = await Task.WhenAny(running.Keys);
            var done = running[finished];
            running.Remove(finished);
            perOrganization[done.OrganizationId]--;
            results.Add(await Outcome(finished, done));
            context.SetStatus(new { plan.CycleId, planned = plan.Runs.Count, finished = results.Count });
        }

        var result = new CycleResult(
            plan.CycleId,
            plan.Runs.Count,
            results.Count(r => r.Status is Runs.RunStatus.Succeeded or Runs.RunStatus.Partial),
            results.Count(r => r.Status is not (null or Runs.RunStatus.Succeeded or Runs.RunStatus.Partial)),
            results,
            results.Count(r => r.Status is null));
        await context.CallActivityAsync<bool>(OrchestrationNames.RecordCycle, new CycleRecord(plan, result), plan.Retry);
        return result;
    }

    /// <summary>The runs that may start now, in plan order, within the global and per-organization caps.</summary>
    public static IReadOnlyList<PlannedRun> StartableRuns(IReadOnlyList<PlannedRun> pending, int runningCount, IReadOnlyDictionary<string, int> perOrganization, CyclePlan plan)
    {
        var startable = new List<PlannedRun>();
        var counts = new Dictionary<string, int>(perOrganization, StringComparer.Ordinal);
        foreach (var run in pending)
        {
            if (runningCount + startable.Count >= plan.GlobalConcurrency)
            {
                break;
            }

            if (counts.GetValueOrDefault(run.OrganizationId) >= plan.OrganizationConcurrency)
            {
                continue;
            }

            counts[run.OrganizationId] = counts.GetValueOrDefault(run.OrganizationId) + 1;
            startable.Add(run);
        }

        return startable;
    }

    private static async Task<PageResult> Outcome(Task<PageResult> finished, PlannedRun run)
    {
        try
        {
            return await finished;
        }
        catch (Exception ex)
        {
            // A sub-orchestration that failed for good: its run stays as last checkpointed and the next cycle resumes it.
            return new PageResult(PageResultKind.Done, Runs.RunStatus.Failed, 0, 0, null, $"ConnectionSync {run.InstanceId} failed: {ex.Message}");
        }
    }
}
