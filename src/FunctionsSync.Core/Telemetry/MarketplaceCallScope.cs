namespace FunctionsSync.Core.Telemetry;

/// <summary>
/// Counts the marketplace calls of the run attempt in progress. The syncer begins a scope per attempt (it flows to the
/// read-ahead fetches it starts); the marketplace client reports each attempt and wait to <see cref="Current"/>, so
/// the run can show its own traffic without the adapters passing anything along.
/// </summary>
public sealed class MarketplaceCallScope
{
    private static readonly AsyncLocal<MarketplaceCallScope?> CurrentScope = new();

    private readonly RunCalls baseline;
    private long requests;
    private long retries;
    private long throttled;
    private long waitTicks;
    private int warned;

    private MarketplaceCallScope(string runId, RunCalls baseline)
    {
        RunId = runId;
        this.baseline = baseline;
    }

    public static MarketplaceCallScope? Current => CurrentScope.Value;

    public string RunId { get; }

    /// <summary>Starts counting for <paramref name="runId"/> on top of what earlier attempts counted.</summary>
    public static MarketplaceCallScope Begin(string runId, RunCalls? earlier)
    {
        var scope = new MarketplaceCallScope(runId, earlier ?? RunCalls.None);
        CurrentScope.Value = scope;
        return scope;
    }

    public void Sent(bool retry)
    {
        Interlocked.Increment(ref requests);
        if (retry)
        {
            Interlocked.Increment(ref retries);
        }
    }

    /// <summary>Counts a 429; true the first time in this attempt (the run logs one warning).</summary>
    public bool Throttled()
    {
        Interlocked.Increment(ref throttled);
        return Interlocked.Exchange(ref warned, 1) == 0;
    }

    public void Waited(TimeSpan waited) => Interlocked.Add(ref waitTicks, waited.Ticks);

    public RunCalls Total => new(
        baseline.Requests + Interlocked.Read(ref requests),
        baseline.Retries + Interlocked.Read(ref retries),
        baseline.Throttled + Interlocked.Read(ref throttled),
        baseline.RateLimitWaitMs + (long)TimeSpan.FromTicks(Interlocked.Read(ref waitTicks)).TotalMilliseconds);
}
