namespace FunctionsSync.UnitTests;

/// <summary>
/// A clock whose timers fire at once, its time moving forward by each one's due time: waits take no real time and
/// happen in order, with no test thread racing the code under test; how far it moved is how long the code waited.
/// </summary>
internal sealed class JumpingClock(DateTimeOffset start) : TimeProvider
{
    private long ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref ticks), TimeSpan.Zero);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime == Timeout.InfiniteTimeSpan)
        {
            return System.CreateTimer(callback, state, dueTime, period);
        }

        Interlocked.Add(ref ticks, Math.Max(0, dueTime.Ticks));
        return System.CreateTimer(callback, state, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }
}
