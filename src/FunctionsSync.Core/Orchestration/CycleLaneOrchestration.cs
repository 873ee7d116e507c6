namespace FunctionsSync.Core.Orchestration;

/// <summary>
/// The CycleLane orchestrator's logic: its organizations' runs, at most <see cref="LaneInput.Concurrency"/> in flight and
/// <see cref="LaneInput.OrganizationConcurrency"/> per organization, in plan order. Each run's first slice is a SyncPage
/// activity of the lane itself (owned by the run's instance id, as the ConnectionSync orchestration would own it): most
/// scheduled runs (a store with little or nothing new) end there, with no orchestration of their own. A run with more
/// to do (more pages, busy, paused) continues as a ConnectionSync sub-orchestration under that instance id. After <see cref="LaneInput.RunsPerGeneration"/> starts it stops starting, waits for the runs in flight
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
        var firstSlices = new HashSet<Task<PageResult>>();
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
                var slice = context.CallActivityAsync<PageResult>(OrchestrationNames.SyncPage, new PageRequest(run.RunId, run.ConnectionId, run.InstanceId, run.Planned), input.Retry);
                running.Add(slice, run);
                firstSlices.Add(slice);
            }

            var finished = await Task.WhenAny(running.Keys);
            var done = running[finished];
            running.Remove(finished);
            var outcome = await Outcome(finished, done);
            if (firstSlices.Remove(finished) && finished.IsCompletedSuccessfully && outcome.Kind != PageResultKind.Done)
            {
                // More than one slice: the run goes on as its own orchestration, keeping its organization's place.
                var child = new ConnectionSyncInput(done.RunId, done.ConnectionId, input.PagesPerGeneration, input.Retry, input.PausedRecheckInterval, Planned: done.Planned);
                running.Add(context.CallSubOrchestratorAsync<PageResult>(OrchestrationNames.ConnectionSync, done.InstanceId, child), done);
                continue;
            }

            perOrganization[done.OrganizationId]--;
            totals = totals.Add(outcome);
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
            // A slice or sub-orchestration that failed for good: its run stays as last checkpointed and the next cycle resumes it.
            return new PageResult(PageResultKind.Done, Runs.RunStatus.Failed, 0, 0, null, $"ConnectionSync {run.InstanceId} failed: {ex.Message}");
        }
    }
}
