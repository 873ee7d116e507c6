namespace FunctionsSync.Marketplaces.Resilience;

/// <summary>
/// A leaky bucket on the client side, shaped like the marketplace's (bucket size, leak rate) and corrected by what
/// the marketplace reports on each response: its own count of the bucket, its stated rate, and Retry-After.
/// </summary>
public sealed class AdaptiveRateLimiter(double capacity, double perSecond, TimeProvider time)
{
    private readonly Lock gate = new();
    private double capacity = capacity;
    private double perSecond = perSecond;
    private double level;
    private long lastTicks = time.GetUtcNow().UtcTicks;
    private DateTimeOffset blockedUntil = DateTimeOffset.MinValue;

    public double Capacity { get { lock (gate) { return capacity; } } }

    public double PerSecond { get { lock (gate) { return perSecond; } } }

    /// <summary>Waits until one more request fits in the bucket and no Retry-After is pending, then takes it.</summary>
    public async ValueTask AcquireAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (gate)
            {
                var now = time.GetUtcNow();
                Leak(now);
                if (now < blockedUntil)
                {
                    wait = blockedUntil - now;
                }
                else if (level + 1 <= capacity)
                {
                    level += 1;
                    return;
                }
                else
                {
                    wait = TimeSpan.FromSeconds((level + 1 - capacity) / perSecond);
                }
            }

            await Task.Delay(wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait, time, cancellationToken);
        }
    }

    /// <summary>Folds in what a response said. Null fields leave the estimate alone.</summary>
    public void Observe(double? reportedCapacity, double? reportedLevel, double? reportedPerSecond, TimeSpan? retryAfter)
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            Leak(now);
            if (reportedCapacity is > 0)
            {
                capacity = reportedCapacity.Value;
            }

            if (reportedPerSecond is > 0)
            {
                perSecond = Math.Min(perSecond, reportedPerSecond.Value);
            }

            if (reportedLevel is >= 0)
            {
                // The marketplace's count is authoritative; other clients of the same account fill the bucket too.
                level = Math.Max(level, reportedLevel.Value);
            }

            if (retryAfter is { } after && now + after > blockedUntil)
            {
                blockedUntil = now + after;
            }
        }
    }

    private void Leak(DateTimeOffset now)
    {
        var elapsed = (now.UtcTicks - lastTicks) / (double)TimeSpan.TicksPerSecond;
        if (elapsed > 0)
        {
            level = Math.Max(0, level - elapsed * perSecond);
            lastTicks = now.UtcTicks;
        }
    }
}
