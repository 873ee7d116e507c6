namespace FunctionsSync.Core.Runs;

/// <summary>
/// How long changes took from the marketplace to the store, in seconds, counted in fixed buckets: runs merge by adding
/// counts, a run row stays small, and a percentile is read as the upper bound of the bucket it falls in (so it never
/// understates the lag).
/// </summary>
public sealed record LagHistogram
{
    /// <summary>Upper bounds of the buckets, in seconds; one more bucket holds what took longer than a day.</summary>
    public static IReadOnlyList<double> Bounds { get; } = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 86400];

    public static LagHistogram Empty { get; } = new();

    /// <summary>Changes per bucket (<see cref="Bounds"/>, then the overflow bucket).</summary>
    public IReadOnlyList<long> Counts { get; init; } = new long[Bounds.Count + 1];

    public long Total => Counts.Sum();

    public LagHistogram Add(IEnumerable<double> seconds)
    {
        var counts = Counts.ToArray();
        foreach (var lag in seconds)
        {
            counts[BucketOf(lag)]++;
        }

        return new LagHistogram { Counts = counts };
    }

    public LagHistogram Merge(LagHistogram other) =>
        new() { Counts = [.. Enumerable.Range(0, Bounds.Count + 1).Select(i => At(i) + other.At(i))] };

    /// <summary>The lag within which a share <paramref name="quantile"/> of the changes landed (a bucket's upper bound; a day for the overflow); null without changes.</summary>
    public double? Percentile(double quantile)
    {
        var total = Total;
        if (total == 0)
        {
            return null;
        }

        var rank = (long)Math.Ceiling(quantile * total);
        long seen = 0;
        for (var i = 0; i <= Bounds.Count; i++)
        {
            seen += At(i);
            if (seen >= rank)
            {
                return Bounds[Math.Min(i, Bounds.Count - 1)];
            }
        }

        return Bounds[^1];
    }

    private long At(int bucket) => bucket < Counts.Count ? Counts[bucket] : 0;

    private static int BucketOf(double seconds)
    {
        for (var i = 0; i < Bounds.Count; i++)
        {
            if (seconds <= Bounds[i])
            {
                return i;
            }
        }

        return Bounds.Count;
    }
}
