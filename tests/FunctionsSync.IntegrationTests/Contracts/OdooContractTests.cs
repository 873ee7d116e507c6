using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FunctionsSync.Core.Connections;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Marketplaces.Odoo;
using FunctionsSync.Simulator.Data;

namespace FunctionsSync.IntegrationTests.Contracts;

/// <summary>
/// Odoo's reference pages (contracts/odoo) held against the simulator and the adapter: the JSON-2 page's own example
/// request and its answer's shape, its 401 error body, the JSON-RPC call envelope of the RPC page, and the datetime
/// format of the ORM page. Each fact is read from the pages at run time.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class OdooContractTests(SimulatorFixture simulator)
{
    private static string Json2Page => File.ReadAllText(ContractFiles.PathOf("odoo/external_json2_api.19.0.excerpt.rst"));

    [ContractFact]
    public async Task The_JSON_2_page_s_example_request_and_error_are_answered_as_it_shows()
    {
        var store = Store("odoo-contract-json2");
        using var http = Client(store);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("bearer", store.Config.Credentials["apiKey"]);
        http.DefaultRequestHeaders.Add("X-Odoo-Database", store.StoreId);

        // The page's example: POST /json/2/res.partner/search_read with its body, verbatim.
        var page = Json2Page;
        var at = page.IndexOf("POST /json/2/res.partner/search_read HTTP/1.1", StringComparison.Ordinal);
        Assert.True(at >= 0, "the example request is not in the page");
        var body = Block(page, at);
        using var example = JsonDocument.Parse(body);
        Assert.Equal(["context", "domain", "fields"], example.RootElement.EnumerateObject().Select(p => p.Name));
        var answer = await http.PostAsync("json/2/res.partner/search_read", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.ValueKind);

        // Its answer's shape, [{"id": 25, "name": "Deco Addict"}]: the id and the fields asked for, nothing else.
        Assert.Contains("{\"id\": 25, \"name\": \"Deco Addict\"}", page, StringComparison.Ordinal);
        var people = await http.PostAsync("json/2/res.partner/search_read", new StringContent("""{"domain": [["name", "ilike", "a"]], "fields": ["name"], "limit": 5}""", Encoding.UTF8, "application/json"));
        var records = JsonDocument.Parse(await people.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(5, records.GetArrayLength());
        Assert.All(records.EnumerateArray(), r => Assert.Equal(["id", "name"], r.EnumerateObject().Select(p => p.Name)));

        // The error example: 401 with {name, message, arguments, context, debug}, "Invalid apikey".
        var errorAt = page.IndexOf("HTTP/1.1 401 Unauthorized", StringComparison.Ordinal);
        using var documented = JsonDocument.Parse(Block(page, errorAt));
        using var wrong = Client(store);
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("bearer", "not-the-key");
        var refused = await wrong.PostAsync("json/2/res.partner/search_read", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        using var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Equal(documented.RootElement.EnumerateObject().Select(p => p.Name), error.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(documented.RootElement.GetProperty("message").GetString(), error.RootElement.GetProperty("message").GetString());
    }

    [ContractFact]
    public async Task The_JSON_RPC_envelope_of_the_RPC_page_authenticates_and_calls_execute_kw()
    {
        var rpcPage = File.ReadAllText(ContractFiles.PathOf("odoo/external_rpc_api.excerpt.rst"));
        Assert.Contains("'jsonrpc': '2.0',", rpcPage, StringComparison.Ordinal);
        Assert.Contains("return json_rpc(url, 'call', {'service': service, 'method': method, 'args': args})", rpcPage, StringComparison.Ordinal);
        Assert.Contains("models.execute_kw(db, uid, password, 'res.partner', 'search_read', [[['is_company', '=', True]]], {'fields': ['name', 'country_id', 'comment'], 'limit': 5})", rpcPage, StringComparison.Ordinal);
        var store = Store("odoo-contract-rpc");
        using var http = Client(store);
        var key = store.Config.Credentials["apiKey"];

        var uid = await CallAsync(http, "common", "authenticate", [store.StoreId, "admin", key, new { }]);
        Assert.Equal(JsonValueKind.Number, uid.GetProperty("result").ValueKind);
        Assert.Equal(JsonValueKind.False, (await CallAsync(http, "common", "authenticate", [store.StoreId, "admin", "not-the-key", new { }])).GetProperty("result").ValueKind);

        // The page's search_read call, shaped as execute_kw takes it (partners here are people, so none is a company).
        var read = await CallAsync(http, "object", "execute_kw", [store.StoreId, uid.GetProperty("result").GetInt64(), key, "res.partner", "search_read",
            new object[] { new object[] { new object[] { "is_company", "=", false } } }, new { fields = new[] { "name" }, limit = 5 }]);
        Assert.Equal(5, read.GetProperty("result").GetArrayLength());
        var denied = await CallAsync(http, "object", "execute_kw", [store.StoreId, 99, key, "res.partner", "search_read", new object[] { Array.Empty<object>() }, new { }]);
        Assert.Equal("odoo.exceptions.AccessDenied", denied.GetProperty("error").GetProperty("data").GetProperty("name").GetString());
    }

    [ContractFact]
    public void Datetimes_are_read_in_the_format_the_ORM_page_gives()
    {
        var orm = File.ReadAllText(ContractFiles.PathOf("odoo/orm-datetime-write_date-domains.excerpt.rst"));
        Assert.Contains("``YYYY-MM-DD HH:MM:SS`` for :class:`~odoo.fields.Datetime` fields", orm, StringComparison.Ordinal);
        Assert.Equal("yyyy-MM-dd HH:mm:ss", OdooMapper.DateFormat);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 8, 30, 5, TimeSpan.Zero), OdooMapper.Date("2026-12-01 08:30:05"));
        Assert.Contains("stored in the UTC timezone", orm.Replace("\n    ", " ", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    private SimStore Store(string storeId) => simulator.State.PutStore(MarketplaceNames.Odoo, storeId, new SimStoreConfig
    {
        Orders = 10, Products = 10, Customers = 30, Seed = 103,
        Credentials = new Dictionary<string, string> { ["apiKey"] = $"key-{storeId}" },
    });

    private HttpClient Client(SimStore store) => new() { BaseAddress = new Uri(simulator.BaseUrlFor(MarketplaceNames.Odoo, store.StoreId) + "/") };

    private static async Task<JsonElement> CallAsync(HttpClient http, string service, string method, object[] args)
    {
        var body = JsonSerializer.Serialize(new { jsonrpc = "2.0", method = "call", @params = new { service, method, args }, id = 1 });
        var answer = await http.PostAsync("jsonrpc", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        return JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    /// <summary>The first JSON object after <paramref name="from"/> in the page (its braces balanced).</summary>
    private static string Block(string page, int from)
    {
        var start = page.IndexOf('{', from);
        var depth = 0;
        for (var i = start; i < page.Length; i++)
        {
            depth += page[i] switch { '{' => 1, '}' => -1, _ => 0 };
            if (depth == 0)
            {
                return page[start..(i + 1)];
            }
        }

        throw new InvalidOperationException("unbalanced example");
    }
}
