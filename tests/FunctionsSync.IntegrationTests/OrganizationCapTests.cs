using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;
using FunctionsSync.Simulator.Faults;

namespace FunctionsSync.IntegrationTests;

/// <summary>No organization has more runs in flight than its cap, however many workers are free.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class OrganizationCapTests(AzuriteFixture storage, SimulatorFixture simulator) : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        simulator.State.Faults = new SimFaults();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Runs_of_one_organization_never_exceed_its_concurrency_cap()
    {
        await using var host = new HostApp(storage, "orgcap", new Dictionary<string, string?>
        {
            ["Workers:Count"] = "6",
            ["Workers:BusyRetryDelay"] = "00:00:00.300",
            ["Scheduler:OrganizationConcurrency"] = "2",
            ["Sync:PageSize"] = "100",
        });
        var client = host.Client();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var storeId = $"cap-{i}";
            var credentials = SyncHarness.CredentialsFor("shopify", storeId);
            simulator.State.PutStore("shopify", storeId, new SimStoreConfig { Orders = 600, Products = 50, Customers = 20, Credentials = credentials });
            var response = await client.PostJsonAsync("/api/connections", new
            {
                organizationId = "org-cap",
                marketplace = "shopify",
                externalStoreId = storeId,
                name = storeId,
                credentials,
                settings = new Dictionary<string, string> { ["baseUrl"] = $"{simulator.BaseUrl}/shopify/{storeId}" },
            });
            ids.Add((await response.ReadJsonAsync()).GetProperty("connectionId").GetString()!);
        }

        simulator.State.Faults = new SimFaults { SlowShare = 1, SlowMs = 40 };
        var cycle = await (await client.PostJsonAsync("/api/sync/run-full", new { all = true })).ReadJsonAsync();
        var runIds = cycle.GetProperty("runIds").EnumerateArray().Select(r => r.GetString()!).ToList();
        Assert.Equal(5, runIds.Count);

        await using var harness = new SyncHarness(storage, simulator, "orgcap");
        // Sampled every 20 ms until every run has succeeded: the most running at once is the cap.
        var maxInFlight = 0;
        await Eventually.WaitForAsync(async () =>
        {
            var statuses = new List<Core.Runs.RunStatus>();
            foreach (var runId in runIds)
            {
                statuses.Add((await harness.State.GetRunAsync(runId, CancellationToken.None))!.Status);
            }

            maxInFlight = Math.Max(maxInFlight, statuses.Count(s => s == Core.Runs.RunStatus.Running));
            return statuses;
        }, statuses => statuses.All(s => s == Core.Runs.RunStatus.Succeeded), TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(20));
        Assert.Equal(2, maxInFlight);
    }
}
