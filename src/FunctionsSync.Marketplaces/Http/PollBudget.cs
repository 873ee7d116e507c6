namespace FunctionsSync.Marketplaces.Http;

/// <summary>
/// Waits between polls of something the marketplace is making (a report, a bulk query): each wait half again the
/// last, up to <paramref name="max"/>, within one page request's <paramref name="perPage"/> (then the page answers
/// "not yet", so the run checkpoints, can be paused, and asks again).
/// </summary>
internal sealed class PollBudget(TimeSpan first, TimeSpan max, TimeSpan perPage, TimeProvider time)
{
    private readonly DateTimeOffset until = time.GetUtcNow() + perPage;
    private TimeSpan delay = first;

    /// <summary>Waits before the next poll; false, without waiting, when this page's budget would be exceeded.</summary>
    public async Task<bool> WaitAsync(CancellationToken cancellationToken)
    {
        if (time.GetUtcNow() + delay > until)
        {
            return false;
        }

        await Task.Delay(delay, time, cancellationToken);
        delay = TimeSpan.FromTicks(Math.Min(max.Ticks, (long)(delay.Ticks * 1.5)));
        return true;
    }
}
