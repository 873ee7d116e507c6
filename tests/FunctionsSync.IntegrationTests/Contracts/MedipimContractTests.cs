using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using FunctionsSync.Core.Connections;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Marketplaces.Http;
using FunctionsSync.Marketplaces.Medipim;
using FunctionsSync.Simulator.Data;

namespace FunctionsSync.IntegrationTests.Contracts;

/// <summary>
/// MediPim publishes no machine-readable contract, only pages (contracts/medipim/api-v4-official-pages.excerpts.md):
/// the facts a sync relies on are read from that file at run time and held against the adapter's settings and the
/// simulator's answers: the page sizes, the required body fields, the query and stream answer shapes, the 204 of an
/// empty stream, the 100-a-minute limit and its <c>too_many_requests</c>.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed partial class MedipimContractTests(SimulatorFixture simulator)
{
    private static string Pages => File.ReadAllText(ContractFiles.PathOf("medipim/api-v4-official-pages.excerpts.md"));

    [ContractFact]
    public void The_adapter_asks_only_for_the_documented_page_sizes_and_stays_within_100_requests_a_minute()
    {
        var sizes = PageSizesLine().Match(Pages);
        Assert.True(sizes.Success, "the query page's 'size' line is not in the contract file");
        var documented = sizes.Groups[1].Value.Replace(" or ", ", ", StringComparison.Ordinal).Split(", ").Select(int.Parse).ToArray();
        Assert.Equal(documented, MedipimAdapter.PageSizes);
        Assert.All(new[] { 1, 9, 10, 99, 100, 249, 250, 1000 }, asked => Assert.Contains(MedipimAdapter.QuerySize(asked), documented));

        Assert.Contains("allows 100 requests per minute", Pages, StringComparison.Ordinal);
        var shape = new MarketplaceHttpOptions().RateLimits[MarketplaceNames.Medipim];
        // Whatever minute the window takes: the burst plus a minute of the sustained rate.
        Assert.True(shape.Capacity + (shape.PerSecond * 60) <= 100 * 1.06, $"{shape.Capacity} + 60 × {shape.PerSecond} a minute");
    }

    [ContractFact]
    public async Task The_simulator_answers_as_the_pages_describe()
    {
        var store = simulator.State.PutStore(MarketplaceNames.Medipim, "medipim-contract", new SimStoreConfig
        {
            Orders = 0, Customers = 0, Products = 600, Seed = 97,
            Credentials = new Dictionary<string, string> { ["apiKeyId"] = "42", ["apiKeySecret"] = "s3cret" },
        });
        using var http = new HttpClient { BaseAddress = new Uri(simulator.BaseUrlFor(MarketplaceNames.Medipim, store.StoreId) + "/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("42:s3cret")));

        // Body fields: filter, sorting and page are required for products.
        foreach (var field in new[] { "filter", "sorting", "page" })
        {
            Assert.Matches($@"`{field}`[^\n]*\(required\)", Pages);
        }

        var query = await PostAsync(http, "v4/products/query", """{"filter": {"status": "active"}, "sorting": {"id": "ASC"}, "page": {"no": 1, "size": 50}}""");
        Assert.Equal(HttpStatusCode.OK, query.Status);
        var meta = query.Json.GetProperty("meta");
        Assert.True(meta.GetProperty("total").GetInt32() > 50);
        Assert.Equal((1, 50, 50), (meta.GetProperty("page").GetProperty("no").GetInt32(), meta.GetProperty("page").GetProperty("offset").GetInt32(), meta.GetProperty("page").GetProperty("size").GetInt32()));
        Assert.Equal(50, query.Json.GetProperty("results").GetArrayLength());
        Assert.All(query.Json.GetProperty("results").EnumerateArray(), p => Assert.Equal("active", p.GetProperty("status").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(http, "v4/products/query", """{"filter": {"status": "active"}, "sorting": {"id": "ASC"}, "page": {"no": 0, "size": 20}}""")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(http, "v4/products/query", """{"filter": {"status": "active"}, "sorting": {"id": "ASC"}}""")).Status);

        // The stream: one {"meta": {"total", "index"}, "result"} line per product; 204 when nothing matches.
        Assert.Contains("""{"meta": {"total": 2, "index": 0}, "result": {"id": 1, ...}}""", Pages, StringComparison.Ordinal);
        using var stream = await http.PostAsync("v4/products/stream", new StringContent("""{"filter": {"status": ["active", "replaced", "inactive"]}, "sorting": {"id": "ASC"}}""", Encoding.UTF8, "application/json"));
        var lines = (await stream.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(600, lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            using var line = JsonDocument.Parse(lines[i]);
            Assert.Equal((600, i), (line.RootElement.GetProperty("meta").GetProperty("total").GetInt32(), line.RootElement.GetProperty("meta").GetProperty("index").GetInt32()));
            Assert.Equal(JsonValueKind.String, line.RootElement.GetProperty("result").GetProperty("id").ValueKind);
        }

        Assert.Contains("status 204", Pages, StringComparison.Ordinal);
        using var none = await http.PostAsync("v4/products/stream", new StringContent("""{"filter": {"id": "nosuchproduct"}, "sorting": {"id": "ASC"}}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NoContent, none.StatusCode);

        // Over the limit: 429 with too_many_requests, and no Retry-After (none is documented).
        Assert.Contains("error code `too_many_requests`", Pages, StringComparison.Ordinal);
        simulator.State.RateLimitsEnabled = true;
        try
        {
            (HttpStatusCode Status, JsonElement Json, HttpResponseMessage? Response) last = default;
            for (var i = 0; i < 150 && last.Status != HttpStatusCode.TooManyRequests; i++)
            {
                last = await PostAsync(http, "v4/products/query", """{"filter": {"status": "active"}, "sorting": {"id": "ASC"}, "page": {"no": 0, "size": 10}}""");
            }

            Assert.Equal(HttpStatusCode.TooManyRequests, last.Status);
            Assert.Equal("too_many_requests", last.Json.GetProperty("error").GetProperty("code").GetString());
            Assert.Null(last.Response!.Headers.RetryAfter);
        }
        finally
        {
            simulator.State.RateLimitsEnabled = false;
        }
    }

    private static async Task<(HttpStatusCode Status, JsonElement Json, HttpResponseMessage? Response)> PostAsync(HttpClient http, string path, string body)
    {
        var response = await http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default, response);
    }

    [GeneratedRegex(@"`size`: one of ([0-9, or]+) \(defaults to 100\)")]
    private static partial Regex PageSizesLine();
}
