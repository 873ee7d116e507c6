namespace FunctionsSync.Marketplaces.Shopify;

/// <summary>
/// One connection's GraphQL cost budget as the client sees it: the shop's <c>throttleStatus</c> (bucket size, points
/// available, restore rate: the plan, learnt from the first answer) rolled forward in time, less the requested cost
/// of queries sent but not yet answered. A query waits until its requested cost is there, so a shop on any plan is
/// read at its own allowance without a THROTTLED answer; no request rate is assumed.
/// </summary>
public sealed class ShopifyCostBudget(TimeProvider time)
{
    private static readonly TimeSpan RecheckInterval = TimeSpan.FromMilliseconds(200);

    private readonly Lock gate = new();
    private bool known;
    private double maximum;
    private double available;
    private double restoreRate;
    private double inFlight;
    private long observedAt;

    /// <summary>Waits until <paramref name="cost"/> points are available, then counts them as in flight.</summary>
    public async Task ReserveAsync(double cost, CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (gate)
            {
                var now = Available();
                // Before the first answer the plan is unknown: one query goes, and its answer tells.
                if (!known || now >= Math.Min(cost, maximum))
                {
                    inFlight += cost;
                    return;
                }

                wait = TimeSpan.FromSeconds((Math.Min(cost, maximum) - now) / restoreRate);
            }

            // Looked at again at least every RecheckInterval: an answer meanwhile may have freed points.
            await Task.Delay(TimeSpan.FromTicks(Math.Clamp(wait.Ticks, TimeSpan.TicksPerMillisecond, RecheckInterval.Ticks)), time, cancellationToken);
        }
    }

    /// <summary>A query sent with <paramref name="reserved"/> points answered: the shop's own figures replace the estimate.</summary>
    public void Observe(double reserved, double maximumAvailable, double currentlyAvailable, double restore)
    {
        lock (gate)
        {
            inFlight = Math.Max(0, inFlight - reserved);
            known = restore > 0 && maximumAvailable > 0;
            maximum = maximumAvailable;
            available = currentlyAvailable;
            restoreRate = restore;
            observedAt = time.GetTimestamp();
        }
    }

    /// <summary>A query answered without cost figures (an error): its reservation is released.</summary>
    public void Release(double reserved)
    {
        lock (gate)
        {
            inFlight = Math.Max(0, inFlight - reserved);
        }
    }

    /// <summary>The shop's plan as last reported: bucket size and restore rate, for sizing pages.</summary>
    public (double Maximum, double RestoreRate)? Plan
    {
        get
        {
            lock (gate)
            {
                return known ? (maximum, restoreRate) : null;
            }
        }
    }

    private double Available()
    {
        if (!known)
        {
            return 0;
        }

        var restored = available + time.GetElapsedTime(observedAt).TotalSeconds * restoreRate;
        return Math.Min(maximum, restored) - inFlight;
    }
}
