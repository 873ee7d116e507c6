using System.Collections.Concurrent;
using FunctionsSync.Core.Records;

namespace FunctionsSync.Marketplaces.Shopify;

/// <summary>
/// Bulk queries started for a run's later feeds while an earlier one is read (<see cref="ShopifyBulkFeed"/>), by
/// connection and feed, for that run only. In this process's memory: a run resumed elsewhere (another instance, after
/// a crash) does not find them and starts its own; the ones left behind finish at Shopify unread.
/// </summary>
public sealed class ShopifyBulkPrestarts(TimeProvider time)
{
    /// <summary>Unused entries older than this are dropped (their run ended, or failed before reaching them).</summary>
    private static readonly TimeSpan MaxAge = TimeSpan.FromHours(12);

    private readonly ConcurrentDictionary<(string Connection, EntityType Type), Entry> entries = new();

    public sealed record Entry(string RunId, string Operation, DateTimeOffset Started);

    /// <summary>Takes the operation started for this run's <paramref name="type"/>, if there is one.</summary>
    public bool TryTake(string connectionId, string runId, EntityType type, out Entry entry)
    {
        if (entries.TryGetValue((connectionId, type), out var found) && found.RunId == runId && entries.TryRemove(new((connectionId, type), found)))
        {
            entry = found;
            return true;
        }

        entry = null!;
        return false;
    }

    public void Put(string connectionId, string runId, EntityType type, string operation, DateTimeOffset started)
    {
        var now = time.GetUtcNow();
        foreach (var old in entries.Where(e => now - e.Value.Started > MaxAge).ToList())
        {
            entries.TryRemove(old);
        }

        entries[(connectionId, type)] = new Entry(runId, operation, started);
    }

    public bool Has(string connectionId, string runId, EntityType type) =>
        entries.TryGetValue((connectionId, type), out var entry) && entry.RunId == runId;

    /// <summary>Operations of this connection started ahead and not yet taken (running, or done and unread).</summary>
    public int Waiting(string connectionId, string runId) =>
        entries.Where(e => e.Key.Connection == connectionId && e.Value.RunId == runId).Select(e => e.Value.Operation).Distinct().Count();

    /// <summary>Whether a feed still to be read waits on <paramref name="operation"/>'s file (prices read the products file).</summary>
    public bool Awaited(string connectionId, string operation) =>
        entries.Any(e => e.Key.Connection == connectionId && e.Value.Operation == operation);
}
