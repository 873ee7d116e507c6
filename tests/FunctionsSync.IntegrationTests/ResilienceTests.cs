using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;
using FunctionsSync.Simulator.Faults;

namespace FunctionsSync.IntegrationTests;

/// <summary>A marketplace answering 20% 429s and 5% 5xx still yields every record, and no request jumps its Retry-After.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class ResilienceTests(AzuriteFixture storage, SimulatorFixture simulator) : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        simulator.State.Faults = new SimFaults();
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData("shopify")]
    [InlineData("amazon")]
    public async Task Twenty_percent_429s_and_five_percent_5xx_lose_nothing_and_every_Retry_After_is_honoured(string marketplace)
    {
        await using var harness = new SyncHarness(storage, simulator, "resil" + marketplace[..4], new Dictionary<string, string?>
        {
            ["Sync:PageSize"] = "100",
            ["Marketplaces:BaseDelay"] = "00:00:00.020",
            ["Marketplaces:MaxDelay"] = "00:00:00.200",
        });
        var storeId = $"resilience-{marketplace}";
        // Shopify's full sync by GraphQL pages: hundreds of requests for the faults to land on (a bulk query makes a handful).
        var (connection, store) = await harness.AddStoreAsync(marketplace, storeId, new SimStoreConfig { Orders = 2_500, Products = 300, Customers = 150, Seed = 8 },
            settings: marketplace == "shopify" ? new Dictionary<string, string> { ["fullSync"] = "paged" } : null);
        simulator.State.ClearRequests();
        simulator.State.Faults = new SimFaults { RateLimitShare = 0.2, ServerErrorShare = 0.05, RetryAfterSeconds = 0.15, Seed = 4242 };

        var outcome = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full), CancellationToken.None);
        simulator.State.Faults = new SimFaults();

        Assert.True(outcome.Run!.Status == RunStatus.Succeeded, outcome.Run.Error);
        var snapshot = await harness.SnapshotAsync(connection.Id);
        foreach (var type in EntityTypes.All)
        {
            Expected.Matches(Expected.For(store, type), snapshot[type], $"{marketplace} {type.ToWire()} under faults");
        }

        var requests = simulator.State.Requests.Where(r => r.StoreId == storeId).OrderBy(r => r.At).ToList();
        var limited = requests.Count(r => r.Status == 429);
        var failed = requests.Count(r => r.Status >= 500);
        Assert.InRange(limited, requests.Count / 10, requests.Count / 3);
        Assert.True(failed > 0, "no 5xx was injected");
        for (var i = 0; i + 1 < requests.Count; i++)
        {
            if (requests[i] is { Status: 429, RetryAfter: { } wait })
            {
                var gap = requests[i + 1].At - requests[i].At;
                Assert.True(gap >= wait, $"request {i + 1} came {gap.TotalMilliseconds:0} ms after a 429 asking for {wait.TotalMilliseconds:0} ms");
            }
        }
    }
}
