using System.Net;
using System.Text.Json;
using FunctionsSync.SelfHosted.Workers;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;

namespace FunctionsSync.IntegrationTests;

/// <summary>
/// <c>POST /api/orders/import</c> against the simulator's validator (by its rules: a receipt ending in an odd digit is
/// valid, one whose last two digits sum to a multiple of 6 is rate limited, others are invalid).
/// </summary>
[Collection(QuietCollection.Name)]
public sealed class ReceiptImportTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    private HostApp Host(string prefix) => new(storage, prefix, new Dictionary<string, string?>
    {
        ["Receipts:ValidatorUrl"] = simulator.BaseUrl + "/mock/{marketplace}/validate",
        ["Receipts:ValidatorUser"] = "simulator",
        ["Receipts:ValidatorPassword"] = "simulator",
        ["Receipts:BaseRetryDelay"] = "00:00:00.200",
        ["Receipts:MaxRetryDelay"] = "00:00:00.400",
        ["Receipts:RetryInterval"] = "00:00:00.100",
        ["Receipts:MaxAttempts"] = "3",
    });

    [Fact]
    public async Task Receipts_are_validated_once_stored_per_connection_and_retried_by_the_worker()
    {
        await using var host = Host("receipts");
        var client = host.Client();
        var unique = Guid.NewGuid().ToString("N")[..8];
        var (connectionId, token) = await RegisterAsync(client, $"receipt-store-{unique}");
        string valid = $"RC-{unique}-1001", invalid = $"RC-{unique}-1002", limited = $"RC-{unique}-1015";

        var first = await client.PostJsonAsync("/api/orders/import", new { syncToken = token, receipt = valid });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var imported = await first.ReadJsonAsync();
        Assert.Equal("success", imported.GetProperty("status").GetString());
        Assert.StartsWith("ORD-", imported.GetProperty("orderId").GetString());
        Assert.Equal("USD", imported.GetProperty("currency").GetString());
        Assert.True(imported.GetProperty("amount").GetDecimal() >= 5m);

        // The same receipt again: the stored outcome, and the marketplace is not asked again.
        var again = await client.PostJsonAsync("/api/orders/import", new { syncToken = token, receipt = valid });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(imported.GetProperty("orderId").GetString(), (await again.ReadJsonAsync()).GetProperty("orderId").GetString());
        Assert.Equal(1, simulator.State.Validations[valid]);

        var failed = await (await client.PostJsonAsync("/api/orders/import", new { syncToken = token, receipt = invalid })).ReadJsonAsync();
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.True(failed.TryGetProperty("nextAttemptAt", out _));
        var rateLimited = await (await client.PostJsonAsync("/api/orders/import", new { syncToken = token, receipt = limited })).ReadJsonAsync();
        Assert.Equal("rate_limited", rateLimited.GetProperty("status").GetString());

        // The worker asks again on the schedule until the attempts are spent; then the outcome is final.
        await Eventually.WaitForAsync(
            () => Task.FromResult(simulator.State.Validations),
            v => v.GetValueOrDefault(invalid) >= 3 && v.GetValueOrDefault(limited) >= 3);

        // Two more retry passes ask nothing more.
        await host.PassesAsync(WorkerPasses.ReceiptRetry);
        Assert.Equal(3, simulator.State.Validations[invalid]);
        Assert.Equal(3, simulator.State.Validations[limited]);
        Assert.Equal(1, simulator.State.Validations[valid]);
        var settled = await (await client.PostJsonAsync("/api/orders/import", new { syncToken = token, receipt = limited })).ReadJsonAsync();
        Assert.Equal(3, settled.GetProperty("attempts").GetInt32());
        Assert.False(settled.TryGetProperty("nextAttemptAt", out _));

        var status = await (await client.GetAsync($"/api/connections/{connectionId}/status")).ReadJsonAsync();
        Assert.Equal(1, status.GetProperty("importedOrders").GetInt64());
        Assert.Equal(1, status.GetProperty("rateLimitedCount").GetInt64());
        Assert.Equal(1, status.GetProperty("receipts").GetProperty("failed").GetInt64());
    }

    [Fact]
    public async Task The_same_receipt_on_another_connection_is_another_import()
    {
        await using var host = Host("receipts2");
        var client = host.Client();
        var unique = Guid.NewGuid().ToString("N")[..8];
        var (_, tokenA) = await RegisterAsync(client, $"receipt-a-{unique}");
        var (_, tokenB) = await RegisterAsync(client, $"receipt-b-{unique}");
        var receipt = $"RX-{unique}-2001";

        Assert.Equal(HttpStatusCode.Created, (await client.PostJsonAsync("/api/orders/import", new { syncToken = tokenA, receipt })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostJsonAsync("/api/orders/import", new { syncToken = tokenB, receipt })).StatusCode);
        Assert.Equal(2, simulator.State.Validations[receipt]);
    }

    [Fact]
    public async Task A_rotated_sync_token_replaces_the_old_one_at_once()
    {
        await using var host = Host("receipts3");
        var client = host.Client();
        var unique = Guid.NewGuid().ToString("N")[..8];
        var (connectionId, old) = await RegisterAsync(client, $"receipt-r-{unique}");

        var rotated = await client.PostAsync($"/api/connections/{connectionId}/sync-token", null);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var token = (await rotated.ReadJsonAsync()).GetProperty("syncToken").GetString()!;
        Assert.NotEqual(old, token);

        Assert.Equal(HttpStatusCode.NotFound, (await client.PostJsonAsync("/api/orders/import", new { syncToken = old, receipt = $"RR-{unique}-3001" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostJsonAsync("/api/orders/import", new { syncToken = token, receipt = $"RR-{unique}-3001" })).StatusCode);
        // Shown in the rotation's answer only: the connection keeps its hash.
        Assert.False((await (await client.GetAsync($"/api/connections/{connectionId}")).ReadJsonAsync()).TryGetProperty("syncToken", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/api/connections/cnosuchconnection/sync-token", null)).StatusCode);
    }

    [Theory]
    [InlineData("{\"syncToken\":\"st_unknown\",\"receipt\":\"R-1\"}", HttpStatusCode.NotFound)]
    [InlineData("{\"syncToken\":\"\",\"receipt\":\"R-1\"}", HttpStatusCode.BadRequest)]
    [InlineData("{\"syncToken\":\"st_x\"}", HttpStatusCode.BadRequest)]
    [InlineData("{\"syncToken\":\"st_x\",\"receipt\":\"R-1\",\"amount\":3}", HttpStatusCode.BadRequest)]
    [InlineData("not json", HttpStatusCode.BadRequest)]
    public async Task Bad_imports_get_a_problem_and_store_nothing(string body, HttpStatusCode expected)
    {
        await using var host = Host("receiptsbad");
        var client = host.Client(key: null);
        var response = await client.PostRawAsync("/api/orders/import", body);
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.False(simulator.State.Validations.ContainsKey("R-1"));
    }

    /// <summary>
    /// A sync-token rotation racing 24 imports under the old token: each import is stored whole (its receipt counted)
    /// or refused (404, nothing counted), never half; once the rotation has answered the old token is refused and the
    /// new one accepted.
    /// </summary>
    [Fact]
    public async Task A_token_rotation_racing_imports_leaves_each_import_stored_whole_or_refused()
    {
        await using var host = Host("receiptrace");
        var client = host.Client();
        var unique = Guid.NewGuid().ToString("N")[..8];
        var (connectionId, old) = await RegisterAsync(client, $"receipt-race-{unique}");

        // Valid receipts (an odd last digit): the validator's answer, after the claim, is the slow part of an import.
        var imports = Enumerable.Range(0, 24).Select(i => client.PostJsonAsync("/api/orders/import", new { syncToken = old, receipt = $"RX-{unique}-{(2 * i) + 1:D4}" })).ToList();
        var rotation = client.PostAsync($"/api/connections/{connectionId}/sync-token", null);
        var answers = await Task.WhenAll(imports);
        var rotated = await (await rotation).ReadJsonAsync();

        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.Created or HttpStatusCode.NotFound, a.StatusCode.ToString()));
        var accepted = answers.Count(a => a.StatusCode == HttpStatusCode.Created);
        var counts = (await (await client.GetAsync($"/api/connections/{connectionId}/status")).ReadJsonAsync()).GetProperty("receipts");
        var stored = counts.EnumerateObject().Sum(p => p.Value.GetInt64());
        Assert.Equal(accepted, stored);

        Assert.Equal(HttpStatusCode.NotFound, (await client.PostJsonAsync("/api/orders/import", new { syncToken = old, receipt = $"RX-{unique}-9001" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostJsonAsync("/api/orders/import", new { syncToken = rotated.GetProperty("syncToken").GetString(), receipt = $"RX-{unique}-9003" })).StatusCode);
    }

    private async Task<(string ConnectionId, string SyncToken)> RegisterAsync(HttpClient client, string storeId)
    {
        var (connectionId, syncToken, _) = await client.RegisterSimulatedAsync(simulator, "org-receipts", "shopify", storeId, new SimStoreConfig { Orders = 0, Products = 0, Customers = 0 });
        return (connectionId, syncToken);
    }
}
