using System.Net.Http.Json;
using System.Text.Json;
using FunctionsSync.SelfHosted.Demo;
using FunctionsSync.SelfHosted.Workers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.IntegrationTests.Infrastructure;

/// <summary>The self-hosted runtime in-process (TestServer), on Azurite and a table prefix of its own.</summary>
public sealed class HostApp(AzuriteFixture storage, string tablePrefix, IDictionary<string, string?>? settings = null) : WebApplicationFactory<DemoOptions>
{
    public const string AdminKey = "test-admin-key-0123456789";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Dictionary<string, string?> Settings { get; } = Defaults(storage, tablePrefix, settings);

    public static Dictionary<string, string?> Defaults(AzuriteFixture storage, string tablePrefix, IDictionary<string, string?>? settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = storage.ConnectionString,
            ["Storage:TablePrefix"] = TestRun.Prefixed(tablePrefix),
            ["Secrets:Keys:0:Id"] = TestSecrets.KeyId,
            ["Secrets:Keys:0:Key"] = TestSecrets.KeyMaterial,
            ["Api:AdminKey"] = AdminKey,
            // Tests read the status right after what they change: worked out on every request (StatusSnapshotsTests keeps the cache).
            ["Api:StatusCacheDuration"] = "00:00:00",
            ["Scheduler:TickInterval"] = "00:00:00.250",
            ["Scheduler:EnabledByDefault"] = "false",
            ["Workers:Count"] = "3",
            ["Workers:PollInterval"] = "00:00:00.100",
            ["Sync:PageSize"] = "250",
            ["Sync:MinRecordsPerWrite"] = "1",
            ["Marketplaces:BaseDelay"] = "00:00:00.050",
            ["Marketplaces:RateLimitsEnabled"] = "false",
            // The simulator listens on loopback: the outbound policy refuses it unless allow-listed.
            ["Marketplaces:AllowedHosts:0"] = "127.0.0.1",
            // The simulator makes a report in a poll or two.
            ["Marketplaces:Amazon:PollInterval"] = "00:00:00.010",
            ["Marketplaces:Shopify:BulkPollInterval"] = "00:00:00.010",
            ["Marketplaces:MaxDelay"] = "00:00:00.500",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return all;
    }

    /// <summary>Requests run in the caller's execution context (its async locals, e.g. a storage tally, flow into them).</summary>
    public bool PreserveExecutionContext { get; init; }

    /// <summary>Services a test puts in place of the host's own (after them: the last registration wins).</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    /// <summary>The host's clock, when the test moves time (e.g. an <see cref="OffsetClock"/>).</summary>
    public TimeProvider? Clock { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        if (Clock is { } clock)
        {
            builder.ConfigureTestServices(services => services.AddSingleton(clock));
        }

        if (TestServices is { } replace)
        {
            builder.ConfigureTestServices(replace);
        }

        if (PreserveExecutionContext)
        {
            builder.ConfigureTestServices(services => services.Configure<TestServerOptions>(o => o.PreserveExecutionContext = true));
        }
    }

    /// <summary>
    /// Until the host's background <paramref name="loop"/> (a <see cref="WorkerPasses"/> name) has completed
    /// <paramref name="more"/> more passes than now: at least one whole pass began after this moment.
    /// </summary>
    public Task PassesAsync(string loop, int more = 2)
    {
        var passes = Services.GetRequiredService<WorkerPasses>();
        var target = passes.Count(loop) + more;
        return Eventually.WaitForAsync(() => Task.FromResult(passes.Count(loop)), n => n >= target, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(20));
    }

    /// <summary>Serves on a real port Kestrel picks (port 0) instead of the in-memory test server; returns its base URL.</summary>
    public string StartOnFreePort()
    {
        UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
        StartServer();
        return Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features
            .Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }

    public HttpClient Client(string? key = AdminKey)
    {
        var client = CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        return client;
    }
}

public static class HttpJson
{
    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body, HostApp.Json);

    public static Task<HttpResponseMessage> PostRawAsync(this HttpClient client, string url, string body) =>
        client.PostAsync(url, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

    /// <summary>Polls a run until it is final.</summary>
    public static Task<JsonElement> WaitForRunAsync(this HttpClient client, string runId, TimeSpan timeout) =>
        Eventually.WaitForAsync(
            async () => await (await client.GetAsync($"/api/runs/{runId}")).ReadJsonAsync(),
            run => run.GetProperty("status").GetString() is "succeeded" or "partial" or "failed" or "cancelled",
            timeout);
}
