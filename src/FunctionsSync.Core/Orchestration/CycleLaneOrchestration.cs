namespace FunctionsSync.Core.Orchestration;

/// <summary>
/// The CycleLane orchestrator's logic: its organizations' runs as ConnectionSync sub-orchestrations, at most
/// <see cref="LaneInput.Concurrency"/> in flight and <see cref="LaneInput.OrganizationConcurrency"/> per organization,
/// in plan order. After <see cref="LaneInput.RunsPerGeneration"/> starts it stops starting, waits for the runs in flight
/// (a sub-orchestration's completion only reaches the generation that started it) and continues as new with the rest,
/// so its history holds at most that many runs whatever the number of connections. Deterministic: only
/// <see cref="IOrchestrationCalls"/>.
/// </summary>
public static class CycleLaneOrchestration
{
    /// <returns>The lane's totals; null when it continued as new.</returns>
    public static async Task<CycleTotals?> RunAsync(IOrchestrationCalls context, LaneInput input)
    {
        var pending = new List<PlannedRun>(input.Runs);
        var running = new Dictionary<Task<PageResult>, PlannedRun>();
        var perOrganization = new Dictionary<string, int>(StringComparer.Ordinal);
        var totals = input.Totals;
        var started = 0;
        Status(context, input, totals, pending.Count);

        while (running.Count > 0 || (pending.Count > 0 && started < input.RunsPerGeneration))
        {
            var quota = input.RunsPerGeneration - started;
            foreach (var run in StartableRuns(pending, running.Count, perOrganization, input.Concurrency, input.OrganizationConcurrency).Take(quota))
            {
                pending.Remove(run);
                started++;
                perOrganization[run.OrganizationId] = perOrganization.GetValueOrDefault(run.OrganizationId) + 1;
                var child = new ConnectionSyncInput(run.RunId, run.ConnectionId, input.PagesPerGeneration, input.Retry, input.PausedRecheckInterval, Planned: run.Planned);
                running.Add(context.CallSubOrchestratorAsync<PageResult>(OrchestrationNames.ConnectionSync, run.InstanceId, child), run);
            }

            var finished = await Task.WhenAny(running.Keys);
            var done = running[finished];
            running.Remove(finished);
            perOrganization[done.OrganizationId]--;
            totals = totals.Add(await Outcome(finished, done));
            Status(context, input, totals, pending.Count);
        }

        if (pending.Count > 0)
        {
            context.ContinueAsNew(input with { Runs = pending, Totals = totals, Generation = input.Generation + 1 });
            return null;
        }

        return totals;
    }

    /// <summary>The runs that may start now, in plan order, within the lane's and the per-organization caps.</summary>
    public static IReadOnlyList<PlannedRun> StartableRuns(IReadOnlyList<PlannedRun> pending, int runningCount, IReadOnlyDictionary<string, int> perOrganization, int concurrency, int organizationConcurrency)
    {
        var startable = new List<PlannedRun>();
        var counts = new Dictionary<string, int>(perOrganization, StringComparer.Ordinal);
        foreach (var run in pending)
        {
            if (runningCount + startable.Count >= concurrency)
            {
                break;
            }

            if (counts.GetValueOrDefault(run.OrganizationId) >= organizationConcurrency)
            {
                continue;
            }

            counts[run.OrganizationId] = counts.GetValueOrDefault(run.OrganizationId) + 1;
            startable.Add(run);
        }

        return startable;
    }

    private static void Status(IOrchestrationCalls context, LaneInput input, CycleTotals totals, int pending) =>
        context.SetStatus(new { input.CycleId, input.Lane, input.Generation, finished = totals.Started, pending });

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
