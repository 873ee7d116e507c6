using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Bench;

/// <summary>
/// Where a stretch of work spent its storage time, by request shape (<see cref="StorageRequestShape"/>): per connection
/// how many of each, their mean milliseconds, and their share of all the storage time. A shape whose mean grows with
/// the connection count is one the store answers by looking through more than the row it returns.
/// </summary>
internal static class StorageShapes
{
    public sealed record Share(string Shape, double PerConnection, double MeanMs, double ShareOfTime);

    public static IReadOnlyList<Share> Since(IReadOnlyDictionary<string, StorageRequestTotals> before, IReadOnlyDictionary<string, StorageRequestTotals> after, int connections, int top = 8)
    {
        var spent = after.Select(a =>
        {
            var b = before.GetValueOrDefault(a.Key) ?? new StorageRequestTotals(0, 0);
            return (Shape: a.Key, Requests: a.Value.Requests - b.Requests, Ms: a.Value.TotalMs - b.TotalMs);
        }).Where(s => s.Requests > 0).ToList();
        var total = spent.Sum(s => s.Ms);
        return [.. spent.OrderByDescending(s => s.Ms).Take(top).Select(s => new Share(
            s.Shape,
            Math.Round((double)s.Requests / connections, 2),
            Math.Round(s.Ms / s.Requests, 2),
            Math.Round(s.Ms / total, 3)))];
    }
}
