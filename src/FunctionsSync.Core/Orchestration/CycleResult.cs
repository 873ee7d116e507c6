namespace FunctionsSync.Core.Orchestration;

/// <param name="Lanes">How many CycleLane orchestrations ran the cycle's runs.</param>
public sealed record CycleResult(string CycleId, int Lanes, CycleTotals Totals)
{
    public int Started => Totals.Started;

    public int Succeeded => Totals.Succeeded;

    public int Failed => Totals.Failed;

    public int Dropped => Totals.Dropped;
}
