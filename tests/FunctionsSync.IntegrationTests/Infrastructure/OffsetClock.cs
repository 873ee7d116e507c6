namespace FunctionsSync.IntegrationTests.Infrastructure;

/// <summary>
/// A fake clock for a live host: the real time plus an offset that a test moves forward (hours pass in a call), so
/// timers, leases and polling keep working while "now" jumps.
/// </summary>
public sealed class OffsetClock : TimeProvider
{
    private long offsetTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref offsetTicks, by.Ticks);
}
