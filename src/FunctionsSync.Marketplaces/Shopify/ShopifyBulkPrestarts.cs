using System.Collections.Concurrent;
using FunctionsSync.Core.Records;

namespace FunctionsSync.Marketplaces.Shopify;

/// <summary>
/// Bulk queries started for a run's later feeds while an earlier one is read (<see cref="ShopifyBulkFeed"/>), by
/// connection and feed, for that run only, and their files being made ready meanwhile (polled to completion,
/// downloaded, grouped). In this process's memory: a run resumed elsewhere (another instance, after a crash) does not
/// find them and starts its own; the ones left behind finish at Shopify unread.
/// </summary>
public sealed class ShopifyBulkPrestarts(TimeProvider time)
{
    /// <summary>Unused entries older than this are dropped (their run ended, or failed before reaching them).</summary>
    private static readonly TimeSpan MaxAge = TimeSpan.FromHours(12);

    private readonly ConcurrentDictionary<(string Connection, EntityType Type), Entry> entries = new();
    private readonly ConcurrentDictionary<(string Connection, string Operation), (Task Task, DateTimeOffset Started)> preparing = new();

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

        foreach (var old in preparing.Where(p => now - p.Value.Started > MaxAge).ToList())
        {
            preparing.TryRemove(old);
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

    /// <summary>Notes the background task making <paramref name="operation"/>'s file ready (it never throws).</summary>
    public void Preparing(string connectionId, string operation, Task preparation) =>
        preparing[(connectionId, operation)] = (preparation, time.GetUtcNow());

    /// <summary>
    /// Waits up to <paramref name="budget"/> for the background task making <paramref name="operation"/>'s file ready,
    /// if there is one: false while it still runs (the caller comes back later rather than fetch the same file beside it).
    /// </summary>
    public async Task<bool> PreparedAsync(string connectionId, string operation, TimeSpan budget, CancellationToken cancellationToken)
    {
        if (!preparing.TryGetValue((connectionId, operation), out var found))
        {
            return true;
        }

        if (!found.Task.IsCompleted)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var waited = Task.Delay(budget, time, stop.Token);
            if (await Task.WhenAny(found.Task, waited) != found.Task)
            {
                cancellationToken.ThrowIfCancellationRequested();
                return false;
            }

            await stop.CancelAsync();
        }

        preparing.TryRemove((connectionId, operation), out _);
        return true;
    }
}
