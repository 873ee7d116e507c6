namespace FunctionsSync.Core.Orchestration;

/// <summary>
/// Splits a cycle's planned runs into lanes, each a CycleLane orchestration. An organization's runs all go to one lane,
/// so the lane alone enforces the per-organization cap; organizations are placed largest first on the lane with the
/// fewest runs (ties: the lower lane), which keeps lanes even and the split deterministic. Plan order is kept within a lane.
/// </summary>
public static class CycleLanes
{
    public static IReadOnlyList<IReadOnlyList<PlannedRun>> Split(IReadOnlyList<PlannedRun> runs, int maxLanes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLanes, 1);
        var byOrganization = runs
            .Select((run, index) => (run, index))
            .GroupBy(r => r.run.OrganizationId, StringComparer.Ordinal)
            .Select(g => (First: g.Min(r => r.index), Count: g.Count(), Organization: g.Key))
            .OrderByDescending(o => o.Count)
            .ThenBy(o => o.First)
            .ToList();
        var laneCount = Math.Min(maxLanes, byOrganization.Count);
        var sizes = new int[laneCount];
        var laneOf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var organization in byOrganization)
        {
            var lane = Array.IndexOf(sizes, sizes.Min());
            laneOf[organization.Organization] = lane;
            sizes[lane] += organization.Count;
        }

        var lanes = Enumerable.Range(0, laneCount).Select(_ => new List<PlannedRun>()).ToList();
        foreach (var run in runs)
        {
            lanes[laneOf[run.OrganizationId]].Add(run);
        }

        return lanes;
    }

    /// <summary>The global cap shared out: lane <paramref name="lane"/>'s concurrency, at least 1, summing to the cap when it allows.</summary>
    public static int Concurrency(int globalConcurrency, int laneCount, int lane) =>
        Math.Max(1, (globalConcurrency / laneCount) + (lane < globalConcurrency % laneCount ? 1 : 0));

    /// <summary>A lane's instance id: unique per cycle (the cycle id is), so lanes of successive cycles never collide.</summary>
    public static string InstanceId(string cycleId, int lane) => $"{cycleId}-lane-{lane}";
}
