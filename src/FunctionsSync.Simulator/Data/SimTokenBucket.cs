namespace FunctionsSync.Simulator.Data;

/// <summary>A leaky bucket as Shopify describes it: each request fills one unit, the bucket drains at a fixed rate.</summary>
public sealed class SimTokenBucket(SimRateLimit limit)
{
    private readonly Lock gate = new();
    private double level;
    private long lastTicks;

    public SimRateLimit Limit { get; } = limit;

    /// <summary>Tries to admit one request at <paramref name="now"/>; otherwise says when a unit frees up.</summary>
    public (bool Admitted, double Level, TimeSpan RetryAfter) TryTake(DateTimeOffset now)
    {
        lock (gate)
        {
            if (lastTicks != 0)
            {
                level = Math.Max(0, level - (now.UtcTicks - lastTicks) / (double)TimeSpan.TicksPerSecond * Limit.PerSecond);
            }

            lastTicks = now.UtcTicks;
            if (level + 1 <= Limit.Capacity)
            {
                level += 1;
                return (true, level, TimeSpan.Zero);
            }

            return (false, level, TimeSpan.FromSeconds((level + 1 - Limit.Capacity) / Limit.PerSecond));
        }
    }
}
