using System.Diagnostics;

namespace FunctionsSync.Bench;

/// <summary>Timing one action, and the nearest-rank percentile of what was timed: how every figure reads its samples.</summary>
internal static class Sampled
{
    public static async Task<double> MillisecondsAsync(Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        await action();
        return watch.Elapsed.TotalMilliseconds;
    }

    /// <summary>The smallest value at least <paramref name="q"/> of the values are at or under (sorts them); 0 when there are none.</summary>
    public static double Percentile(List<double> values, double q)
    {
        values.Sort();
        return values.Count == 0 ? 0 : values[Math.Min(values.Count - 1, (int)Math.Ceiling(q * values.Count) - 1)];
    }
}
