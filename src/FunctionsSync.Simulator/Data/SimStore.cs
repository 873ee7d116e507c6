using System.Collections.Concurrent;

namespace FunctionsSync.Simulator.Data;

/// <summary>
/// One simulated marketplace store. Records are generated from their index, so sizes of hundreds of thousands cost
/// no memory; only changed records (index → version, time) are kept.
/// </summary>
public sealed class SimStore
{
    /// <summary>Seeded records were last changed from here on, a few per second.</summary>
    public static readonly DateTimeOffset BaseTime = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Dictionary<SimKind, MutationSet> mutations = new()
    {
        [SimKind.Orders] = new(), [SimKind.Products] = new(), [SimKind.Customers] = new(),
    };

    private readonly Lock gate = new();
    private readonly ConcurrentDictionary<string, SimTokenBucket> operationLimiters = new();
    private SimCostBucket? costBucket;
    private long bulkIds = 4_000_000_000;
    private long mutationRounds;

    public SimStore(string marketplace, string storeId, SimStoreConfig config, TimeProvider? time = null)
    {
        Marketplace = marketplace;
        StoreId = storeId;
        Config = config;
        Clock = time ?? TimeProvider.System;
        Tokens = new SimTokens(marketplace, config, Clock);
        Limiter = new SimTokenBucket(config.RateLimit ?? DefaultLimit(marketplace));
    }

    public string Marketplace { get; }
    public string StoreId { get; }

    /// <summary>The store's clock: when a deletion happened, when tokens expire.</summary>
    public TimeProvider Clock { get; }

    private long streamedLines;

    /// <summary>Lines a product stream has written so far (MediPim), for a test to act mid-stream.</summary>
    public long StreamedLines => Interlocked.Read(ref streamedLines);

    public void Streamed(int lines) => Interlocked.Add(ref streamedLines, lines);

    /// <summary>When the store's API key stops working (Odoo's keys last three months at most); null: never.</summary>
    public DateTimeOffset? ApiKeyExpiresAt { get; set; }

    /// <summary>Where the store sends change notifications, as the marketplace would to an app's subscription (null: nowhere).</summary>
    public SimSubscription? Subscription { get; set; }

    /// <summary>Called after records change or are deleted (kind, indexes, deleted): the notifier's hook.</summary>
    internal Action<SimStore, SimKind, IReadOnlyList<int>, bool>? Changed { get; set; }
    public SimStoreConfig Config { get; }
    public SimTokenBucket Limiter { get; }

    /// <summary>The store's OAuth tokens (access tokens that expire, rotating refresh tokens), where it has them.</summary>
    public SimTokens Tokens { get; }

    /// <summary>Shopify GraphQL's cost bucket of this store.</summary>
    public SimCostBucket CostBucket => costBucket ??= new SimCostBucket(
        Config.GraphQlMaximumAvailable ?? Math.Max(1_000, Config.GraphQlRestoreRate * 20), Config.GraphQlRestoreRate);

    /// <summary>Shopify bulk queries of this store, by id (one may run at a time).</summary>
    public ConcurrentDictionary<long, SimBulkOperation> BulkOperations { get; } = new();

    public long NextBulkOperationId() => Interlocked.Increment(ref bulkIds);

    /// <summary>Every distinct GraphQL document sent to this store (a few per adapter: they are templates with variables).</summary>
    public ConcurrentDictionary<SimGraphQlDocument, byte> GraphQlDocuments { get; } = new();

    /// <summary>Reports requested of this store (Amazon's Reports API), by id.</summary>
    public ConcurrentDictionary<string, SimReport> Reports { get; } = new();

    /// <summary>
    /// The bucket of one operation that the marketplace budgets on its own (Amazon's createReport, getReport,
    /// getReportDocument, getOrderItems), or the store's one limit for every other call.
    /// </summary>
    public SimTokenBucket LimiterFor(string? operation) =>
        operation is null ? Limiter : operationLimiters.GetOrAdd(operation, op => new SimTokenBucket(Config.OperationRateLimits?.GetValueOrDefault(op) ?? DefaultOperationLimit(op)));

    public int Count(SimKind kind) => kind switch
    {
        SimKind.Orders => Config.Orders,
        SimKind.Products => Config.Products,
        _ => Config.Customers,
    };

    /// <summary>Seeded records per second of change time; two orders share each second so feeds have ties.</summary>
    public static int PerSecond(SimKind kind) => kind == SimKind.Orders ? 2 : 1;

    public static DateTimeOffset BaseUpdatedAt(SimKind kind, int index) => BaseTime.AddSeconds(index / PerSecond(kind));

    public SimRef Current(SimKind kind, int index)
    {
        lock (gate)
        {
            return mutations[kind].Changed.TryGetValue(index, out var m) ? new(index, m.Version, m.At) : new(index, 0, BaseUpdatedAt(kind, index));
        }
    }

    /// <summary>Changes <paramref name="count"/> distinct records at <paramref name="at"/>; returns their indexes.</summary>
    public IReadOnlyList<int> Mutate(SimKind kind, int count, DateTimeOffset at)
    {
        lock (gate)
        {
            var total = Count(kind);
            count = Math.Min(count, total);
            var round = ++mutationRounds;
            var chosen = new HashSet<int>();
            for (long n = 0; chosen.Count < count; n++)
            {
                chosen.Add(SimRandom.For(Config.Seed, 77, round, n).Int(0, total));
            }

            MutateAt(kind, chosen, at);
            return [.. chosen.Order()];
        }
    }

    /// <summary>
    /// Deletes the records at <paramref name="indexes"/>: from then on no list, count, bulk file or report holds them,
    /// as a marketplace forgets a deleted product (the index is not reused).
    /// </summary>
    public void Delete(SimKind kind, IEnumerable<int> indexes)
    {
        var at = Clock.GetUtcNow();
        lock (gate)
        {
            foreach (var index in indexes)
            {
                mutations[kind].Delete(index, at);
            }
        }

        Changed?.Invoke(this, kind, [.. indexes], true);
    }

    /// <summary>
    /// What happened to records of <paramref name="kind"/>, as a marketplace's activity log has it: each changed record's
    /// last change (<c>update</c>) and each deletion (<c>destroy</c>), by time and index.
    /// </summary>
    public IReadOnlyList<SimEvent> Events(SimKind kind)
    {
        lock (gate)
        {
            var set = mutations[kind];
            return [.. set.Changed.Select(c => new SimEvent(c.Key, "update", c.Value.At))
                .Concat(set.DeletedAt.Select(d => new SimEvent(d.Key, "destroy", d.Value)))
                .OrderBy(e => e.At).ThenBy(e => e.Index).ThenBy(e => e.Action, StringComparer.Ordinal)];
        }
    }

    /// <summary>Every record of <paramref name="kind"/> that exists, as it stands now, in index order.</summary>
    public IEnumerable<SimRef> Existing(SimKind kind) => Enumerable.Range(0, Count(kind)).Where(i => Exists(kind, i)).Select(i => Current(kind, i));

    /// <summary>Whether the record at <paramref name="index"/> exists (was seeded and not deleted).</summary>
    public bool Exists(SimKind kind, int index)
    {
        lock (gate)
        {
            return index >= 0 && index < Count(kind) && !mutations[kind].Deleted.Contains(index);
        }
    }

    /// <summary>Changes the records at <paramref name="indexes"/> at <paramref name="at"/> (whole seconds).</summary>
    public void MutateAt(SimKind kind, IEnumerable<int> indexes, DateTimeOffset at)
    {
        at = new DateTimeOffset(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        List<int> changed;
        // Re-entrant: Mutate calls it holding the gate.
        lock (gate)
        {
            changed = [.. indexes.Where(i => !mutations[kind].Deleted.Contains(i))];
            foreach (var index in changed)
            {
                mutations[kind].Apply(index, at, BaseUpdatedAt(kind, index));
            }
        }

        Changed?.Invoke(this, kind, changed, false);
    }

    /// <summary>Records in (time, index) order, lazily; callers take a page.</summary>
    public IEnumerable<SimRef> Feed(SimKind kind, FeedQuery query) => query.Ids is { } ids ? Named(kind, ids, query) : Walk(kind, query);

    /// <summary>The records of <paramref name="ids"/> that exist and fall in the query's window, in (time, index) order.</summary>
    private IEnumerable<SimRef> Named(SimKind kind, IReadOnlyList<long> ids, FeedQuery query) =>
        [.. ids.Distinct()
            .Select(id => SimCatalog.TryIndex(kind, id, Count(kind), out var index) ? index : -1)
            .Where(index => Exists(kind, index))
            .Select(index => Current(kind, index))
            .Where(at => Matches(query, at.UpdatedAt.UtcTicks, at.Index))
            .OrderBy(at => at.UpdatedAt).ThenBy(at => at.Index)];

    private IEnumerable<SimRef> Walk(SimKind kind, FeedQuery query)
    {
        List<(long Ticks, int Index, int Version)> changed;
        HashSet<int> changedIndexes;
        lock (gate)
        {
            var set = mutations[kind];
            changed = [.. set.Sorted.Select(e => (e.Ticks, e.Index, set.Changed[e.Index].Version))];
            // A deleted record is no longer seeded where it was, and listed nowhere.
            changedIndexes = [.. set.Changed.Keys, .. set.Deleted];
        }

        var total = Count(kind);
        var from = query.Min ?? BaseTime;
        if (query.AfterTicks is { } afterTicks && afterTicks > from.UtcTicks)
        {
            from = new DateTimeOffset(afterTicks, TimeSpan.Zero);
        }

        var i = FirstIndexAtOrAfter(kind, from);
        var c = 0;
        while (true)
        {
            // Next seeded (never changed) record in the window.
            while (i < total)
            {
                var ticks = BaseUpdatedAt(kind, i).UtcTicks;
                if (query.Max is { } max && ticks > max.UtcTicks)
                {
                    i = total;
                    break;
                }

                if (!changedIndexes.Contains(i) && Matches(query, ticks, i))
                {
                    break;
                }

                i++;
            }

            while (c < changed.Count && !Matches(query, changed[c].Ticks, changed[c].Index))
            {
                c++;
            }

            var hasBase = i < total;
            var hasChanged = c < changed.Count;
            if (!hasBase && !hasChanged)
            {
                yield break;
            }

            var baseTicks = hasBase ? BaseUpdatedAt(kind, i).UtcTicks : long.MaxValue;
            if (hasChanged && (changed[c].Ticks < baseTicks || (changed[c].Ticks == baseTicks && changed[c].Index < i)))
            {
                yield return new SimRef(changed[c].Index, changed[c].Version, new DateTimeOffset(changed[c].Ticks, TimeSpan.Zero));
                c++;
            }
            else
            {
                yield return new SimRef(i, 0, new DateTimeOffset(baseTicks, TimeSpan.Zero));
                i++;
            }
        }
    }

    /// <summary>How many records a window holds (X-WP-Total, Etsy's count), without walking it.</summary>
    public long CountMatching(SimKind kind, DateTimeOffset? min, bool minExclusive, DateTimeOffset? max)
    {
        var query = new FeedQuery(min, minExclusive, max);
        var total = Count(kind);
        var perSecond = PerSecond(kind);
        var first = min is null ? 0 : minExclusive ? FirstIndexAtOrAfter(kind, min.Value.AddSeconds(1)) : FirstIndexAtOrAfter(kind, min.Value);
        var last = max is null ? total : Math.Min(total, FirstIndexAtOrAfter(kind, max.Value.AddSeconds(1)));
        long count = Math.Max(0, last - first);
        lock (gate)
        {
            foreach (var index in mutations[kind].Deleted.Where(i => i < total && !mutations[kind].Changed.ContainsKey(i)))
            {
                if (Matches(query, BaseTime.AddSeconds(index / perSecond).UtcTicks, index))
                {
                    count--;
                }
            }

            foreach (var (index, m) in mutations[kind].Changed)
            {
                if (Matches(query, BaseTime.AddSeconds(index / perSecond).UtcTicks, index))
                {
                    count--;
                }

                if (Matches(query, m.At.UtcTicks, index))
                {
                    count++;
                }
            }
        }

        return count;
    }

    private int FirstIndexAtOrAfter(SimKind kind, DateTimeOffset time)
    {
        if (time <= BaseTime)
        {
            return 0;
        }

        var seconds = (long)Math.Ceiling((time - BaseTime).TotalSeconds);
        return (int)Math.Min(Count(kind), seconds * PerSecond(kind));
    }

    private static bool Matches(FeedQuery query, long ticks, int index)
    {
        if (query.Min is { } min && (query.MinExclusive ? ticks <= min.UtcTicks : ticks < min.UtcTicks))
        {
            return false;
        }

        if (query.Max is { } max && ticks > max.UtcTicks)
        {
            return false;
        }

        return query.AfterTicks is not { } after || ticks > after || (ticks == after && index > query.AfterIndex);
    }

    /// <summary>SP-API's published budgets (burst, rate) of the report operations.</summary>
    private static SimRateLimit DefaultOperationLimit(string operation) => operation switch
    {
        "getReport" => new(15, 2),
        "getOrderItems" => new(30, 0.5),
        "getOrder" => new(30, 0.5),
        "searchOrders" => new(20, 0.0056),
        _ => new(15, 0.0167),
    };

    private static SimRateLimit DefaultLimit(string marketplace) => marketplace switch
    {
        "shopify" => new(40, 2),
        "amazon" => new(20, 0.0167),
        "etsy" => new(10, 10),
        // "V4 of our API allows 100 requests per minute."
        "medipim" => new(100, 100 / 60.0),
        _ => new(25, 5),
    };

    private sealed class MutationSet
    {
        public Dictionary<int, (int Version, DateTimeOffset At)> Changed { get; } = [];
        public SortedSet<(long Ticks, int Index)> Sorted { get; } = [];

        public HashSet<int> Deleted { get; } = [];

        public Dictionary<int, DateTimeOffset> DeletedAt { get; } = [];

        /// <summary>A deleted record leaves the change list; its seeded place is skipped by the feed and the counts.</summary>
        public void Delete(int index, DateTimeOffset at)
        {
            DeletedAt.TryAdd(index, at);
            if (Changed.Remove(index, out var previous))
            {
                Sorted.Remove((previous.At.UtcTicks, index));
            }

            Deleted.Add(index);
        }

        public void Apply(int index, DateTimeOffset at, DateTimeOffset baseTime)
        {
            if (Changed.TryGetValue(index, out var previous))
            {
                Sorted.Remove((previous.At.UtcTicks, index));
            }

            // A change never moves a record back in time.
            var floor = Changed.TryGetValue(index, out var p) ? p.At : baseTime;
            var when = at > floor ? at : floor.AddSeconds(1);
            Changed[index] = ((previous.Version) + 1, when);
            Sorted.Add((when.UtcTicks, index));
        }
    }
}
