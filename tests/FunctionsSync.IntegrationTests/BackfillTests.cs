using System.Globalization;
using System.Net;
using System.Text.Json;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Ingestion;
using FunctionsSync.Core.Records;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;
using FunctionsSync.Simulator.Faults;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.IntegrationTests;

/// <summary>
/// <c>POST /api/connections/{id}/backfill</c> over HTTP on the self-hosted runtime, against WooCommerce's
/// <c>modified_after</c>/<c>modified_before</c>: orders changed in October with change times behind the connection's
/// high-water mark (a restored backup, a late import: the schedule never sees them) are read by a backfill of October,
/// while incremental runs of the same connection go on; nothing duplicated, nothing outside the month touched, the
/// stored orders readable throughout.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class BackfillTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    private static readonly DateTimeOffset October = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_backfill_of_a_month_runs_beside_incremental_syncs_without_duplicates_or_gaps()
    {
        await using var host = new HostApp(storage, "backfill", new Dictionary<string, string?>
        {
            ["Sync:OverlapWindow"] = "00:00:01",
            ["Sync:ControlCheckInterval"] = "00:00:00",
            ["Sync:BackfillYieldDelay"] = "00:00:00.200",
        });
        var client = host.Client();
        var (connectionId, _, store) = await client.RegisterSimulatedAsync(
            simulator, "org-backfill", MarketplaceNames.WooCommerce, "woo-backfill", new SimStoreConfig { Orders = 400, Products = 20, Customers = 10, Seed = 83 },
            new Dictionary<string, string> { ["pageSize"] = "10" });
        Assert.Equal("succeeded", (await client.WaitForRunAsync(await TriggerAsync(client, connectionId, "full"), TimeSpan.FromSeconds(60))).GetProperty("status").GetString());

        // The schedule's mark moves to today; then 150 orders change in October and 20 in September, behind it.
        store.MutateAt(SimKind.Orders, [399], DateTimeOffset.UtcNow);
        Assert.Equal("succeeded", (await client.WaitForRunAsync(await TriggerAsync(client, connectionId, "incremental"), TimeSpan.FromSeconds(60))).GetProperty("status").GetString());
        for (var i = 0; i < 150; i++)
        {
            store.MutateAt(SimKind.Orders, [i], October.AddHours(i * 4));
        }

        var september = Enumerable.Range(150, 20).ToList();
        store.MutateAt(SimKind.Orders, september, October.AddDays(-10));
        var lateIds = Enumerable.Range(0, 170).Select(i => OrderId(store, i)).ToHashSet();
        Assert.Equal("succeeded", (await client.WaitForRunAsync(await TriggerAsync(client, connectionId, "incremental"), TimeSpan.FromSeconds(60))).GetProperty("status").GetString());
        var expected = Expected.For(store, EntityType.Orders);
        var before = await StoredOrdersAsync(host, connectionId);
        Assert.All(lateIds, id => Assert.NotEqual(expected[id], Expected.Fingerprint(before[id])));
        var markBefore = await OrdersMarkAsync(client, connectionId);

        // Bad requests change nothing.
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostJsonAsync($"/api/connections/{connectionId}/backfill", new { entityTypes = new[] { "orders" } })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostJsonAsync($"/api/connections/{connectionId}/backfill", new { from = October, to = October.AddDays(-1) })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostJsonAsync($"/api/connections/{connectionId}/backfill", new { entityTypes = new[] { "invoices" }, from = October })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostRawAsync($"/api/connections/{connectionId}/backfill", "{\"from\": \"October\"}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostJsonAsync("/api/connections/nosuchconnection/backfill", new { from = October })).StatusCode);
        Assert.Equal(1, (await RunsAsync(client, connectionId)).Count(r => r.GetProperty("mode").GetString() == "full"));
        Assert.DoesNotContain(await RunsAsync(client, connectionId), r => r.GetProperty("mode").GetString() == "backfill");

        simulator.State.Faults = new SimFaults { SlowShare = 1, SlowMs = 60 };
        JsonElement backfill;
        var incrementalRuns = new List<string>();
        try
        {
            var accepted = await client.PostJsonAsync($"/api/connections/{connectionId}/backfill", new { entityTypes = new[] { "orders" }, from = October, to = October.AddMonths(1).AddSeconds(-1) });
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            var backfillId = (await accepted.ReadJsonAsync()).GetProperty("runId").GetString()!;

            // One backfill per connection at a time.
            var second = await client.PostJsonAsync($"/api/connections/{connectionId}/backfill", new { from = October });
            Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
            Assert.Contains(backfillId, (await second.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);

            // Incremental runs of today's changes go on meanwhile, one after another, each after the backfill moved on.
            var next = 200;
            while (true)
            {
                var run = await (await client.GetAsync($"/api/runs/{backfillId}")).ReadJsonAsync();
                if (run.GetProperty("status").GetString() is "succeeded" or "partial" or "failed" or "cancelled")
                {
                    backfill = run;
                    break;
                }

                store.MutateAt(SimKind.Orders, [next++], DateTimeOffset.UtcNow);
                var incremental = await TriggerAsync(client, connectionId, "incremental");
                incrementalRuns.Add(incremental);
                Assert.Equal("succeeded", (await client.WaitForRunAsync(incremental, TimeSpan.FromSeconds(60))).GetProperty("status").GetString());
                // Readable throughout: every order is there, once.
                Assert.Equal(400, (await StoredOrdersAsync(host, connectionId)).Count);
                var processed = Processed(run);
                await Eventually.WaitForAsync(
                    async () => await (await client.GetAsync($"/api/runs/{backfillId}")).ReadJsonAsync(),
                    now => Processed(now) > processed || now.GetProperty("status").GetString() is not ("running" or "queued" or "interrupted"),
                    TimeSpan.FromSeconds(60));
            }
        }
        finally
        {
            simulator.State.Faults = new SimFaults();
        }

        Assert.Equal("succeeded", backfill.GetProperty("status").GetString());
        Assert.Equal("backfill", backfill.GetProperty("mode").GetString());
        Assert.Equal(October, backfill.GetProperty("window").GetProperty("from").GetDateTimeOffset());
        var orders = backfill.GetProperty("entities").EnumerateArray().Single(e => e.GetProperty("entityType").GetString() == "orders").GetProperty("counters");
        // October's changes only: nothing created, nothing from September or today.
        Assert.Equal((150L, 0L), (orders.GetProperty("updated").GetInt64(), orders.GetProperty("created").GetInt64()));
        Assert.True(incrementalRuns.Count >= 2, $"only {incrementalRuns.Count} incremental run(s) ran beside the backfill");
        Assert.True(backfill.GetProperty("attempts").GetInt32() >= 2, "the backfill never stepped aside for a run of the schedule");

        // No gap, no duplicate: every order as the marketplace has it now, but September's, which no run was asked to read.
        var final = await client.WaitForRunAsync(await TriggerAsync(client, connectionId, "incremental"), TimeSpan.FromSeconds(60));
        Assert.Equal("succeeded", final.GetProperty("status").GetString());
        expected = Expected.For(store, EntityType.Orders);
        var stored = await StoredOrdersAsync(host, connectionId);
        var septemberIds = september.Select(i => OrderId(store, i)).ToHashSet();
        Expected.Matches(
            expected.Where(e => !septemberIds.Contains(e.Key)).ToDictionary(),
            stored.Where(s => !septemberIds.Contains(s.Key)).ToDictionary(),
            "orders after the backfill");
        Assert.All(septemberIds, id => Assert.NotEqual(expected[id], Expected.Fingerprint(stored[id])));
        // The backfill moved no mark: the schedule's cursor only went forward.
        Assert.True(await OrdersMarkAsync(client, connectionId) >= markBefore);
        var activity = await (await client.GetAsync($"/api/connections/{connectionId}/activity")).ReadJsonAsync();
        Assert.Contains(activity.GetProperty("activity").EnumerateArray(), e => e.GetProperty("action").GetString() == "backfill.queued");
    }

    private static string OrderId(SimStore store, int index) =>
        SimCatalog.Order(store, store.Current(SimKind.Orders, index)).Id.ToString(CultureInfo.InvariantCulture);

    private static long Processed(JsonElement run) => run.GetProperty("counters").GetProperty("processed").GetInt64();

    private static async Task<Dictionary<string, StoredRecord>> StoredOrdersAsync(HostApp host, string connectionId)
    {
        var stored = new Dictionary<string, StoredRecord>();
        await foreach (var row in host.Services.GetRequiredService<IRecordQuery>().ListAsync(connectionId, EntityType.Orders, CancellationToken.None))
        {
            Assert.True(stored.TryAdd(row.Record.ExternalId, row), $"order {row.Record.ExternalId} stored twice");
        }

        return stored;
    }

    private static async Task<List<JsonElement>> RunsAsync(HttpClient client, string connectionId) =>
        [.. (await (await client.GetAsync($"/api/connections/{connectionId}/runs?pageSize=50")).ReadJsonAsync()).GetProperty("runs").EnumerateArray()];

    private static async Task<DateTimeOffset> OrdersMarkAsync(HttpClient client, string connectionId)
    {
        var connection = await (await client.GetAsync($"/api/connections/{connectionId}")).ReadJsonAsync();
        return connection.GetProperty("cursors").EnumerateArray().Single(c => c.GetProperty("entityType").GetString() == "orders").GetProperty("highWaterMark").GetDateTimeOffset();
    }

    private static async Task<string> TriggerAsync(HttpClient client, string connectionId, string mode)
    {
        var triggered = await client.PostJsonAsync("/api/sync/trigger", new { connectionIds = new[] { connectionId }, mode, entityTypes = mode == "full" ? null : new[] { "orders" } });
        Assert.Equal(HttpStatusCode.Accepted, triggered.StatusCode);
        return (await triggered.ReadJsonAsync()).GetProperty("runs")[0].GetProperty("runId").GetString()!;
    }
}
