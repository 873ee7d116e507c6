using FunctionsSync.Core.Runs;

namespace FunctionsSync.UnitTests.Runs;

public sealed class LagHistogramTests
{
    [Fact]
    public void A_percentile_is_the_upper_bound_of_its_bucket_so_it_never_understates()
    {
        // 90 changes within a second, 10 after four minutes: half landed within 1 s, 95 % within 300 s.
        var lag = LagHistogram.Empty.Add(Enumerable.Repeat(0.4, 90)).Add(Enumerable.Repeat(240.0, 10));
        Assert.Equal((100L, 1.0, 300.0), (lag.Total, lag.Percentile(0.5)!.Value, lag.Percentile(0.95)!.Value));
    }

    [Fact]
    public void Runs_merge_by_adding_counts_and_an_empty_one_has_no_percentile()
    {
        var a = LagHistogram.Empty.Add([3, 3, 3]);
        var b = LagHistogram.Empty.Add([700]);
        var merged = a.Merge(b);
        Assert.Equal((4L, 5.0, 900.0), (merged.Total, merged.Percentile(0.5)!.Value, merged.Percentile(0.95)!.Value));
        Assert.Null(LagHistogram.Empty.Percentile(0.95));
    }

    [Fact]
    public void Longer_than_a_day_reads_as_a_day_at_least() =>
        Assert.Equal(86_400, LagHistogram.Empty.Add([200_000]).Percentile(0.95));

    [Fact]
    public void A_stored_histogram_of_an_older_shape_still_reads() =>
        // Fewer buckets than today (a bound added later): the missing ones count nothing.
        Assert.Equal(2L, new LagHistogram { Counts = [1, 1] }.Merge(LagHistogram.Empty).Total);
}
