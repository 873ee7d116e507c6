using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Sync;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.Bench;

/// <summary>
/// Median milliseconds of one read every run makes, a connection's cursors (one partition's rows), after a cycle: what
/// a per-run storage query costs at that many connections. Azurite evaluates a query over every row of its table
/// (Azure answers a key range), so where this grows with the connection count, so does each run's time.
/// </summary>
internal static class CursorReadProbe
{
    private const int Samples = 21;

    public static async Task<double> MedianMsAsync(IServiceProvider services)
    {
        var connection = (await services.GetRequiredService<IConnectionStore>().ListAsync(null, CancellationToken.None))[0];
        var state = services.GetRequiredService<ISyncStateStore>();
        var times = new List<double>();
        for (var i = 0; i < Samples; i++)
        {
            times.Add(await Sampled.MillisecondsAsync(() => state.GetCursorsAsync(connection.Id, SyncLane.Main, CancellationToken.None)));
        }

        return Math.Round(Sampled.Percentile(times, 0.5), 2);
    }
}
