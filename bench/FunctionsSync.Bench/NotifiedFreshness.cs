using System.Diagnostics;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Ingestion;
using FunctionsSync.Core.Jobs;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using FunctionsSync.Simulator.Data;
using FunctionsSync.Simulator.Faults;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.Bench;

/// <summary>
/// <c>notified_freshness_p95_s</c>: how long a change at the marketplace takes to be stored, 95th percentile, when the
/// marketplace's notifications start runs reading just the records named (5 % of them dropped, 10 % two seconds late,
/// 10 % sent twice), over the changes whose notification came, beside the same changes when only polling finds them
/// (an incremental run every 15 s, far shorter than the default 15 minutes), which stays on as the sweep that stores
/// what a lost notification named (their lags are printed apart). The
/// self-hosted runtime (its workers, no scheduler) takes the simulator's signed notifications over real HTTP; a
/// watcher reads each changed record's stored version every 100 ms and notes when it arrives.
/// </summary>
internal static class NotifiedFreshness
{
    private const string Secret = "bench-webhook-secret";
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ChangeEvery = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(15);

    public static async Task<Figure> RunAsync(string storage, SimulatorState sim, string simulatorUrl)
    {
        var prefix = "bn" + DateTime.UtcNow.ToString("HHmmss");
        await using var app = await BenchHost.StartAsync(storage, prefix, new Dictionary<string, string?>
        {
            ["Sync:OverlapWindow"] = "00:00:01",
            ["Marketplaces:RateLimitsEnabled"] = "false",
            ["Marketplaces:AllowedHosts:0"] = "127.0.0.1",
            ["Workers:PollInterval"] = "00:00:00.050",
        });
        var baseUrl = BenchHost.BaseUrl(app);

        const string storeId = "bench-notify";
        var credentials = new Dictionary<string, string> { ["consumerKey"] = $"ck-{storeId}", ["consumerSecret"] = $"cs-{storeId}", ["webhookSecret"] = Secret };
        var store = sim.PutStore("woocommerce", storeId, new SimStoreConfig { Orders = 2_000, Products = 0, Customers = 0, Seed = 5, Credentials = credentials });
        var connections = app.Services.GetRequiredService<IConnectionStore>();
        var connection = (await connections.RegisterAsync(new ConnectionRegistration("bench-org", "woocommerce", storeId, storeId, credentials,
            new Dictionary<string, string> { ["baseUrl"] = $"{simulatorUrl}/woocommerce/{storeId}" }), CancellationToken.None)).Connection;
        var full = await app.Services.GetRequiredService<ConnectionSyncer>().RunAsync(new SyncRequest(connection.Id, SyncMode.Full, [EntityType.Orders]), CancellationToken.None);
        if (full.Run?.Status != RunStatus.Succeeded)
        {
            throw new InvalidOperationException($"notified_freshness: the first full sync ended {full.Run?.Status}: {full.Run?.Error}");
        }

        var records = app.Services.GetRequiredService<IStoredRecords>();
        var launcher = app.Services.GetRequiredService<RunLauncher>();
        var polling = await MeasureAsync(store, connection, records, async () =>
            await launcher.LaunchAsync(connection, SyncMode.Incremental, [EntityType.Orders], RunTrigger.Schedule, null, TimeSpan.Zero, CancellationToken.None));

        // Notified runs read just the records named; the same 15 s sweep stays on, as the schedule does in production,
        // and stores what a lost notification named.
        store.Subscription = new SimSubscription($"{baseUrl}/api/notifications/{connection.Id}", Secret);
        sim.Faults = new SimFaults { NotificationDropShare = 0.05, NotificationDelayShare = 0.10, NotificationDelayMs = 2_000, NotificationDuplicateShare = 0.10, Seed = 21 };
        Measured withNotifications;
        try
        {
            withNotifications = await MeasureAsync(store, connection, records, async () =>
                await launcher.LaunchAsync(connection, SyncMode.Incremental, [EntityType.Orders], RunTrigger.Schedule, null, TimeSpan.Zero, CancellationToken.None));
        }
        finally
        {
            sim.Faults = new SimFaults();
            store.Subscription = null;
        }

        await app.StopAsync();
        var lost = sim.Notifier.Dropped.Where(d => d.StoreId == storeId).Select(d => d.Index).ToHashSet();
        var notified = Percentiles([.. withNotifications.Lags.Where(l => !lost.Contains(l.Index)).Select(l => l.Seconds)]);
        var all = Percentiles([.. withNotifications.Lags.Select(l => l.Seconds)]);
        var pollingOnly = Percentiles([.. polling.Lags.Select(l => l.Seconds)]);
        return new Figure("notified_freshness_p95_s", notified.P95,
            new { pollingOnlyP95Seconds = Math.Round(pollingOnly.P95, 2), pollingEverySeconds = PollEvery.TotalSeconds, pollingChanges = polling.Lags.Count },
            "< 10",
            new
            {
                notifiedChanges = notified.Count, p50Seconds = Math.Round(notified.P50, 2), maxSeconds = Math.Round(notified.Max, 2),
                lostNotifications = withNotifications.Lags.Count - notified.Count, allChangesP95Seconds = Math.Round(all.P95, 2), allChangesMaxSeconds = Math.Round(all.Max, 2),
                unstoredAfterWait = withNotifications.Unstored, pollingOnlyP50Seconds = Math.Round(pollingOnly.P50, 2),
            });
    }

    /// <summary>Each change's order index and how long it took to be stored (a change never stored: until the wait ended).</summary>
    private sealed record Measured(IReadOnlyList<(int Index, double Seconds)> Lags, int Unstored);

    private sealed record Spread(int Count, double P50, double P95, double Max);

    private static Spread Percentiles(List<double> lags)
    {
        return new Spread(lags.Count, Sampled.Percentile(lags, 0.5), Sampled.Percentile(lags, 0.95), lags.Count == 0 ? 0 : lags.Max());
    }

    /// <summary>
    /// Changes two orders every <see cref="ChangeEvery"/> for <see cref="Duration"/>, with <paramref name="poll"/> every
    /// <see cref="PollEvery"/> (null: none, notifications only), and times each change until its version is stored; a
    /// change still unstored 30 s after the last one counts as that late.
    /// </summary>
    private static async Task<Measured> MeasureAsync(SimStore store, Connection connection, IStoredRecords records, Func<Task>? poll)
    {
        var pending = new List<(int Index, string Id, DateTimeOffset Version, long Started)>();
        var lags = new List<(int Index, double Seconds)>();
        var clock = Stopwatch.StartNew();
        var nextChange = TimeSpan.Zero;
        var nextPoll = PollEvery;
        var deadline = Duration + TimeSpan.FromSeconds(30);
        while (clock.Elapsed < deadline && (clock.Elapsed < Duration || pending.Count > 0))
        {
            if (clock.Elapsed >= nextChange && clock.Elapsed < Duration)
            {
                var at = DateTimeOffset.UtcNow;
                foreach (var index in store.Mutate(SimKind.Orders, 2, at))
                {
                    pending.Add((index, SimCatalog.OrderId(index).ToString(System.Globalization.CultureInfo.InvariantCulture), store.Current(SimKind.Orders, index).UpdatedAt, Stopwatch.GetTimestamp()));
                }

                nextChange += ChangeEvery;
            }

            if (poll is not null && clock.Elapsed >= nextPoll)
            {
                await poll();
                nextPoll += PollEvery;
            }

            for (var i = pending.Count - 1; i >= 0; i--)
            {
                var (index, id, version, started) = pending[i];
                if (await records.GetAsync(connection.Id, EntityType.Orders, id, CancellationToken.None) is { } stored && stored.Record.UpdatedAt >= version)
                {
                    lags.Add((index, Stopwatch.GetElapsedTime(started).TotalSeconds));
                    pending.RemoveAt(i);
                }
            }

            await Task.Delay(100);
        }

        var unstored = pending.Count;
        lags.AddRange(pending.Select(p => (p.Index, Stopwatch.GetElapsedTime(p.Started).TotalSeconds)));
        return new Measured(lags, unstored);
    }
}
