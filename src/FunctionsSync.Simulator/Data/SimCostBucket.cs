namespace FunctionsSync.Simulator.Data;

/// <summary>
/// Shopify's GraphQL cost bucket: a query is admitted when its requested cost is available; the bucket refills at the
/// plan's restore rate; what a query did not use of its requested cost is refunded after it ran.
/// </summary>
public sealed class SimCostBucket(double maximumAvailable, double restoreRate)
{
    private readonly Lock gate = new();
    private double available = maximumAvailable;
    private long lastTicks;

    public double MaximumAvailable { get; } = maximumAvailable;
    public double RestoreRate { get; } = restoreRate;

    /// <summary>Queries answered THROTTLED.</summary>
    public long Refused { get; private set; }

    /// <summary>Points spent: taken, less what was refunded.</summary>
    public double Spent { get; private set; }

    /// <summary>Takes <paramref name="cost"/> points when they are there; answers what is left (or was, when refused).</summary>
    public (bool Admitted, double Available) TryTake(double cost, DateTimeOffset now)
    {
        lock (gate)
        {
            Restore(now);
            if (cost > available)
            {
                Refused++;
                return (false, available);
            }

            available -= cost;
            Spent += cost;
            return (true, available);
        }
    }

    public double Refund(double points, DateTimeOffset now)
    {
        lock (gate)
        {
            Restore(now);
            available = Math.Min(MaximumAvailable, available + Math.Max(0, points));
            Spent -= Math.Max(0, points);
            return available;
        }
    }

    private void Restore(DateTimeOffset now)
    {
        if (lastTicks != 0)
        {
            available = Math.Min(MaximumAvailable, available + (now.UtcTicks - lastTicks) / (double)TimeSpan.TicksPerSecond * RestoreRate);
        }

        lastTicks = now.UtcTicks;
    }
}
