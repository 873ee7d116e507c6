using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Sync;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.Bench;

/// <summary>
/// Median milliseconds of one read every run makes, a connection's cursors, after a cycle. They are on the lease row
/// (a point read); before that they were a key-range query, which Azurite evaluates over every row of its table, so
/// the figure grew with the connection count. A growth here means a run's reads cost more at that size again.
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
