using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Deque.AxeCore.Playwright;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;
using FunctionsSync.Simulator.Faults;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FunctionsSync.IntegrationTests.Dashboard;

/// <summary>
/// The dashboard in a real browser (Debian's chromium, driven by Playwright) against the self-hosted runtime on a real
/// port, Azurite and the simulator: what an operator does, checked in the page and through the API.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class DashboardTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    private const string Organization = "org-dash";
    private static readonly LocatorAssertionsToHaveAttributeOptions Long = new() { Timeout = 90_000 };

    [Fact]
    public async Task An_operator_signs_in_syncs_pauses_and_resumes_resolves_a_conflict_and_replays_a_delivery()
    {
        await using var host = LiveHost("dash");
        var baseUrl = host.StartOnFreePort();
        using var api = AdminClient(baseUrl);

        var smallStore = await RegisterAsync(api, "shopify", "dash-small", new SimStoreConfig { Orders = 200, Products = 30, Customers = 20, Seed = 51 });
        await RegisterAsync(api, "woocommerce", "dash-large", new SimStoreConfig { Orders = 1_500, Products = 100, Customers = 50, Seed = 52 });
        var receiver = $"dash-{Guid.NewGuid():N}"[..16];
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/webhooks", new { organizationId = Organization, events = new[] { "sync.completed" }, targetUrl = $"{simulator.BaseUrl}/mock/webhooks/{receiver}" })).StatusCode);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(baseUrl + "/");

        // A key that does not hold is refused where it was typed (the status answers 401), and nothing is shown.
        await page.GetByLabel("API key").FillAsync("not-a-key-0123456789");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator("#signin-error")).ToHaveTextAsync("That key is not valid.");
        await Expect(page.Locator("#app")).ToBeHiddenAsync();

        // Sign in: the demo-like connections with their health.
        await page.GetByLabel("API key").FillAsync(HostApp.AdminKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        var small = page.Locator("tr[data-name='shopify dash-small']");
        var large = page.Locator("tr[data-name='woocommerce dash-large']");
        await Expect(small.Locator(".health")).ToHaveTextAsync("pending");
        await Expect(large.Locator(".health")).ToHaveTextAsync("pending");
        await page.EvaluateAsync("window.__sameDocument = true");

        // A full sync of the small store: its bar reaches 100 % from the live events, without a reload.
        await small.GetByRole(AriaRole.Button, new() { Name = "Full sync" }).ClickAsync();
        await Expect(small.Locator("progress")).ToHaveAttributeAsync("data-status", "succeeded", Long);
        await Expect(small.Locator("progress")).ToHaveAttributeAsync("value", "100");
        await Expect(small.Locator(".health")).ToHaveTextAsync("on time");
        Assert.True(await page.EvaluateAsync<bool>("window.__sameDocument === true"), "the page reloaded");

        // Pause and resume a run of the larger store (the marketplace answers every data request 150 ms late meanwhile, so
        // the run is caught mid-way).
        simulator.State.Faults = new SimFaults { SlowShare = 1, SlowMs = 150 };
        try
        {
            await large.GetByRole(AriaRole.Button, new() { Name = "Full sync" }).ClickAsync();
            await large.GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();
            await Expect(large.Locator("progress")).ToHaveAttributeAsync("data-status", "paused", Long);
            // A paused run makes no progress: it shows no time left.
            await Expect(large.Locator(".progress")).Not.ToContainTextAsync("left");
            var pausedRun = (await ConnectionAsync(api, "dash-large")).GetProperty("activeRunId").GetString()!;
            Assert.Equal("paused", (await api.GetFromJsonAsync<JsonElement>($"/api/runs/{pausedRun}")).GetProperty("status").GetString());
            await large.GetByRole(AriaRole.Button, new() { Name = "Resume" }).ClickAsync();
        }
        finally
        {
            simulator.State.Faults = new SimFaults();
        }

        await Expect(large.Locator("progress")).ToHaveAttributeAsync("data-status", "succeeded", Long);
        await Expect(large.Locator("progress")).ToHaveAttributeAsync("value", "100");
        Assert.Equal(1_500, (await ConnectionAsync(api, "dash-large")).GetProperty("records").GetProperty("orders").GetInt64());

        // A conflict: a local change of an order the marketplace then changes too; resolved in the page.
        var smallId = (await ConnectionAsync(api, "dash-small")).GetProperty("connectionId").GetString()!;
        var orderId = SimCatalog.OrderId(3).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var record = JsonNode.Parse((await api.GetFromJsonAsync<JsonElement>($"/api/connections/{smallId}/records/orders/{orderId}")).GetProperty("record").GetRawText())!.AsObject();
        record["status"] = "held-by-warehouse";
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsync($"/api/connections/{smallId}/records/orders/{orderId}", new StringContent(record.ToJsonString(), System.Text.Encoding.UTF8, "application/json"))).StatusCode);
        smallStore.Mutate(SimKind.Orders, 200, DateTimeOffset.UtcNow.AddMinutes(-5));
        await small.GetByRole(AriaRole.Button, new() { Name = "Sync shopify dash-small", Exact = true }).ClickAsync();
        var conflictRow = page.Locator("tr[data-conflict]").First;
        await Expect(conflictRow).ToBeVisibleAsync(new() { Timeout = 60_000 });
        var conflictId = await conflictRow.GetAttributeAsync("data-conflict");
        await conflictRow.GetByLabel("Resolution").SelectOptionAsync("keep_target");
        await conflictRow.GetByLabel("Note").FillAsync("the warehouse hold stands");
        await conflictRow.GetByRole(AriaRole.Button, new() { Name = "Resolve" }).ClickAsync();
        await Expect(page.Locator($"tr[data-conflict='{conflictId}']")).ToHaveCountAsync(0);
        var conflict = await api.GetFromJsonAsync<JsonElement>($"/api/conflicts/{conflictId}");
        Assert.Equal("resolved", conflict.GetProperty("status").GetString());
        Assert.Equal("keep_target", conflict.GetProperty("resolution").GetString());

        // A delivery of a sync.completed, replayed from the page: the receiver gets it again, same id. The three syncs'
        // deliveries are delivered first (a delivery mid-attempt is refused a replay until the attempt ends).
        await Eventually.WaitForAsync(async () => (await ReceiverAsync(api, receiver)).GetProperty("accepted").GetArrayLength(), n => n >= 3);
        await page.GetByRole(AriaRole.Button, new() { Name = "Deliveries" }).ClickAsync();
        var delivery = page.Locator("tr[data-delivery]").First;
        await Expect(delivery).ToBeVisibleAsync();
        var duplicatesBefore = (await ReceiverAsync(api, receiver)).GetProperty("duplicates").GetInt32();
        await delivery.GetByRole(AriaRole.Button, new() { Name = "Replay" }).ClickAsync();
        await Expect(page.Locator("#live")).ToHaveTextAsync("Delivery replayed.");
        await Eventually.WaitForAsync(async () => (await ReceiverAsync(api, receiver)).GetProperty("duplicates").GetInt32(), n => n == duplicatesBefore + 1);

        // The page as it stands, for the record, and no serious or critical accessibility violation in it.
        await page.ScreenshotAsync(new() { Path = Artifacts.PathFor("dashboard.png"), FullPage = true });
        var axe = await page.RunAxe();
        var severe = axe.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}").ToList();
        Assert.True(severe.Count == 0, string.Join("\n", severe));
    }

    /// <summary>
    /// An Etsy connection that holds only a seller's refresh token: after a sync its details show when the access token
    /// expires, when it was refreshed and the refresh token's age; once the seller revokes the app, the row says
    /// "action required" and the details the failed refresh.
    /// </summary>
    [Fact]
    public async Task An_operator_sees_a_connections_token_health_and_when_it_needs_authorizing_again()
    {
        await using var host = new HostApp(storage, StorageServices.NewPrefix("dashtok"), new Dictionary<string, string?>
        {
            ["Events:PollInterval"] = "00:00:00.200",
            ["Events:ProgressInterval"] = "00:00:00.200",
            ["Marketplaces:OAuth:Clients:etsy:ClientId"] = "app-client",
            ["Marketplaces:OAuth:Clients:etsy:TokenUrl"] = $"{simulator.BaseUrl}/etsy/v3/public/oauth/token",
        });
        var baseUrl = host.StartOnFreePort();
        using var api = AdminClient(baseUrl);

        const string storeId = "6600001";
        var credentials = new Dictionary<string, string> { ["refreshToken"] = "refresh-dash-6600001", ["apiKey"] = "key_6600001" };
        var store = simulator.State.PutStore("etsy", storeId, new SimStoreConfig { Orders = 60, Products = 20, Customers = 0, Seed = 53, Credentials = new(credentials) { ["clientId"] = "app-client" } });
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/connections", new
        {
            organizationId = "org-dashtok", marketplace = "etsy", externalStoreId = storeId, name = "etsy oauth", credentials,
            settings = new Dictionary<string, string> { ["baseUrl"] = simulator.BaseUrlFor("etsy", storeId) },
        })).StatusCode);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(baseUrl + "/");
        await page.GetByLabel("API key").FillAsync(HostApp.AdminKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        var row = page.Locator("tr[data-name='etsy oauth']");

        // Before any sync: no access token yet, never refreshed.
        await row.GetByRole(AriaRole.Button, new() { Name = "Details" }).ClickAsync();
        await Expect(page.Locator("#run-detail .tokens")).ToHaveTextAsync("Access token not yet obtained, last refreshed never.");

        // A sync refreshes it; the details say when the new one expires and how old the refresh token is.
        await row.GetByRole(AriaRole.Button, new() { Name = "Full sync" }).ClickAsync();
        await Expect(row.Locator("progress")).ToHaveAttributeAsync("data-status", "succeeded", Long);
        Assert.Equal(1, store.Tokens.Refreshes);
        await row.GetByRole(AriaRole.Button, new() { Name = "Details" }).ClickAsync();
        await Expect(page.Locator("#run-detail .tokens")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(
            @"^Access token expires \S.+, last refreshed \S.+, refresh token 0 of 90 days old\.$"));
        await Expect(page.Locator("#run-detail .tokens")).Not.ToContainTextAsync("never");

        // The seller removes the app: the next sync's refresh is refused, the row asks for a person.
        store.Tokens.Revoke();
        await row.GetByRole(AriaRole.Button, new() { Name = "Full sync" }).ClickAsync();
        await Expect(row.Locator(".health")).ToHaveTextAsync("action required", new() { Timeout = 60_000 });
        await row.GetByRole(AriaRole.Button, new() { Name = "Details" }).ClickAsync();
        await Expect(page.Locator("#run-detail .tokens")).ToContainTextAsync("1 failed refresh in a row");
        await Expect(page.Locator("#run-detail")).ToContainTextAsync("invalid_grant");
    }

    /// <summary>
    /// More connections than a page holds: the list shows the first page and offers the rest, and the health filter is
    /// asked of the server, so the browser never loads every connection.
    /// </summary>
    [Fact]
    public async Task An_operator_pages_through_connections_and_filters_them_by_health()
    {
        await using var host = new HostApp(storage, StorageServices.NewPrefix("dashpage"));
        var baseUrl = host.StartOnFreePort();
        using var api = AdminClient(baseUrl);
        const int count = 53;
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            var storeId = $"page-{i:00}";
            var response = await api.PostAsJsonAsync("/api/connections", new
            {
                organizationId = "org-dashpage", marketplace = "woocommerce", externalStoreId = storeId, name = $"store {i:00}",
                credentials = SyncHarness.CredentialsFor("woocommerce", storeId),
                settings = new Dictionary<string, string> { ["baseUrl"] = simulator.BaseUrlFor("woocommerce", storeId) },
            });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        });

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        var listRequests = new List<string>();
        var refused = new List<string>();
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                lock (refused)
                {
                    refused.Add($"{response.Status} {response.Url}");
                }
            }
        };
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("/api/connections?", StringComparison.Ordinal))
            {
                lock (listRequests)
                {
                    listRequests.Add(request.Url);
                }
            }
        };
        await page.GotoAsync(baseUrl + "/");
        await page.GetByLabel("API key").FillAsync(HostApp.AdminKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        var rows = page.Locator("#connections tbody tr");
        await Expect(rows).ToHaveCountAsync(50);
        var more = page.GetByRole(AriaRole.Button, new() { Name = "Show more connections" });
        await more.ClickAsync();
        await Expect(rows).ToHaveCountAsync(count);
        await Expect(more).ToBeHiddenAsync();
        Assert.All(listRequests, url => Assert.Contains("pageSize=", url, StringComparison.Ordinal));

        // The filter is the server's: none is on time before any run, all are pending.
        await page.GetByLabel("Health").SelectOptionAsync("on_time");
        await Expect(page.Locator("#connections")).ToHaveTextAsync("No connections with this health.");
        await page.GetByLabel("Health").SelectOptionAsync("pending");
        await Expect(rows).ToHaveCountAsync(50);
        Assert.Contains(listRequests, url => url.Contains("health=pending", StringComparison.Ordinal));
        await more.ClickAsync();
        await Expect(rows).ToHaveCountAsync(count);

        // Nothing the page asked for was refused, and its icon is inline: a browser that looks for one asks nothing.
        Assert.True(refused.Count == 0, string.Join("\n", refused));
        await Expect(page.Locator("link[rel='icon']")).ToHaveAttributeAsync("href", "data:,");
    }

    /// <summary>
    /// The interactive API reference, reached from the dashboard's link: Scalar draws this host's own document (every
    /// route's summary there to find, the run history's included), its bundle comes gzipped, and nothing is asked of
    /// another origin or refused.
    /// </summary>
    [Fact]
    public async Task The_API_reference_linked_from_the_dashboard_shows_this_hosts_document_from_this_origin_only()
    {
        await using var host = LiveHost("dashref");
        var baseUrl = host.StartOnFreePort();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        var elsewhere = new List<string>();
        var refused = new List<string>();
        var errors = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(baseUrl, StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                lock (elsewhere)
                {
                    elsewhere.Add(request.Url);
                }
            }
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                lock (refused)
                {
                    refused.Add($"{response.Status} {response.Url}");
                }
            }
        };
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (errors)
                {
                    errors.Add(message.Text);
                }
            }
        };

        await page.AddInitScriptAsync("document.addEventListener('securitypolicyviolation', e => (window.__csp ||= []).push([e.violatedDirective, e.blockedURI, e.sourceFile, e.lineNumber].join(' ')))");
        await page.GotoAsync(baseUrl + "/");
        var bundle = page.WaitForResponseAsync(r => r.Url.EndsWith("/reference/scalar.js", StringComparison.Ordinal));
        await page.GetByRole(AriaRole.Link, new() { Name = "API reference" }).ClickAsync();
        Assert.Equal(baseUrl + "/reference", page.Url);
        Assert.Equal("gzip", (await (await bundle).AllHeadersAsync()).GetValueOrDefault("content-encoding"));

        // The first group drawn open, every route listed in the sidebar (the run history under runs).
        await Expect(page.GetByText("The service's health and its dependencies'").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.GetByText("Marketplace sync orchestration").First).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Open Group - runs" }).ClickAsync();
        await Expect(page.GetByText("A page of ended runs across connections, newest first").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Artifacts.PathFor("api-reference.png") });
        Assert.True(elsewhere.Count == 0, "asked of another origin:\n" + string.Join("\n", elsewhere));
        Assert.True(refused.Count == 0, string.Join("\n", refused));
        // The policy refused one thing: the bundle's validator probing whether it may compile (Function("")), after which
        // it checks without; the console reports that refusal and nothing else.
        var violations = await page.EvaluateAsync<string[]>("window.__csp || []");
        Assert.All(violations, v => Assert.StartsWith($"script-src eval {baseUrl}/reference/scalar.js ", v));
        Assert.All(errors, e => Assert.Contains("'unsafe-eval'", e));
    }

    /// <summary>
    /// What an organization's operator does first: signs in with the organization's key (no admin control shown), sees
    /// which connection fails and why without opening anything, lists only the failing ones, reads the run history and
    /// its chart, compares a conflict's two versions field by field and resolves it, and replays a failed delivery,
    /// watching its new attempt arrive. Screenshots kept; no serious or critical accessibility violation.
    /// </summary>
    [Fact]
    public async Task An_organization_operator_finds_what_needs_attention_compares_a_conflict_and_follows_a_replay()
    {
        await using var host = LiveHost("dashwalk", ("Webhooks:MaxAttempts", "1"));
        var baseUrl = host.StartOnFreePort();
        using var api = AdminClient(baseUrl);
        const string org = "org-walk";
        var healthyStore = await RegisterAsync(api, "woocommerce", "walk-healthy", new SimStoreConfig { Orders = 150, Products = 20, Customers = 10, Seed = 61 }, org);
        // A store the marketplace does not know (its base URL names no store of the simulator's): every run fails.
        var failing = await api.PostAsJsonAsync("/api/connections", new
        {
            organizationId = org, marketplace = "woocommerce", externalStoreId = "walk-gone", name = "woocommerce walk-gone",
            credentials = SyncHarness.CredentialsFor("woocommerce", "walk-gone"),
            settings = new Dictionary<string, string> { ["baseUrl"] = simulator.BaseUrlFor("woocommerce", "walk-gone-" + Guid.NewGuid().ToString("N")[..6]) },
        });
        Assert.Equal(HttpStatusCode.Created, failing.StatusCode);
        var failingId = (await failing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("connectionId").GetString()!;
        var healthyId = (await ConnectionAsync(api, "walk-healthy", org)).GetProperty("connectionId").GetString()!;
        var receiver = $"walk-{Guid.NewGuid():N}"[..16];
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/webhooks", new { organizationId = org, events = new[] { "sync.failed" }, targetUrl = $"{simulator.BaseUrl}/mock/webhooks/{receiver}" })).StatusCode);
        // The receiver refuses the first delivery: with one attempt allowed, it fails for good.
        Assert.True((await api.PostAsJsonAsync($"{simulator.BaseUrl}/mock/webhooks/{receiver}/fail", new { count = 1 })).IsSuccessStatusCode);

        foreach (var id in new[] { healthyId, failingId })
        {
            var run = (await (await api.PostAsJsonAsync("/api/sync/trigger", new { connectionIds = new[] { id }, mode = "full" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runs")[0].GetProperty("runId").GetString()!;
            await api.WaitForRunAsync(run, TimeSpan.FromSeconds(60));
        }

        // A data_mismatch: a local change of an order the marketplace then changes too.
        var orderId = SimCatalog.OrderId(5).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var record = JsonNode.Parse((await api.GetFromJsonAsync<JsonElement>($"/api/connections/{healthyId}/records/orders/{orderId}")).GetProperty("record").GetRawText())!.AsObject();
        record["status"] = "held-by-warehouse";
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsync($"/api/connections/{healthyId}/records/orders/{orderId}", new StringContent(record.ToJsonString(), System.Text.Encoding.UTF8, "application/json"))).StatusCode);
        healthyStore.MutateAt(SimKind.Orders, [5], DateTimeOffset.UtcNow);
        var sync = (await (await api.PostAsJsonAsync("/api/sync/trigger", new { connectionIds = new[] { healthyId } })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runs")[0].GetProperty("runId").GetString()!;
        await api.WaitForRunAsync(sync, TimeSpan.FromSeconds(60));
        var failedDelivery = await Eventually.WaitForAsync(async () => (await DeliveriesAsync(api)).FirstOrDefault(d => d.GetProperty("status").GetString() == "failed"), d => d.ValueKind == JsonValueKind.Object);
        var orgKey = (await (await api.PostAsJsonAsync("/api/admin/keys", new { organizationId = org })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1600, Height = 1000 } });
        var refused = new List<string>();
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                refused.Add($"{response.Status} {response.Url}");
            }
        };
        await page.GotoAsync(baseUrl + "/");
        await page.GetByLabel("API key").FillAsync(orgKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        // The organization's key sees no admin control; the schedule reads in words.
        var failingRow = page.Locator("tr[data-name='woocommerce walk-gone']");
        await Expect(failingRow.Locator(".health")).ToHaveTextAsync("error");
        await Expect(page.Locator("#schedule-toggle")).ToBeHiddenAsync();
        await Expect(page.Locator("#interval-form")).ToBeHiddenAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Full sync of every organization" })).ToBeHiddenAsync();
        await Expect(page.Locator("#schedule")).ToContainTextAsync("every 15 minutes");

        // Attention first: one failing connection, its error and streak in its row.
        await Expect(page.Locator("#attention-summary")).ToHaveTextAsync("1 of 2 connections needs attention.");
        await Expect(failingRow.Locator(".last-error")).ToContainTextAsync("1 failure in a row");
        var lastError = (await api.GetFromJsonAsync<JsonElement>($"/api/connections/{failingId}")).GetProperty("lastError").GetString()!;
        await Expect(failingRow.Locator(".last-error")).ToContainTextAsync(lastError[..Math.Min(60, lastError.Length)]);

        // Only the failing ones, from the summary's card.
        await page.GetByRole(AriaRole.Button, new() { Name = "Failing" }).ClickAsync();
        await Expect(page.Locator("#connections tbody tr")).ToHaveCountAsync(1);
        await Expect(page.GetByLabel("Health")).ToHaveValueAsync("error");

        // Its history: a chart of the last runs and how each entity type of the failed run ended.
        await failingRow.GetByRole(AriaRole.Button, new() { Name = "Details" }).ClickAsync();
        await Expect(page.Locator("#run-detail svg.chart rect.bar.failed")).ToHaveCountAsync(1);
        await Expect(page.Locator("#run-detail table.history tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#run-detail .entity-state").First).ToHaveTextAsync("failed");
        await Expect(page.Locator("#run-detail .entity-state").Last).ToHaveTextAsync("not read");
        await page.ScreenshotAsync(new() { Path = Artifacts.PathFor("dashboard-attention.png"), FullPage = true });

        // Runs across the organization's connections, newest first: the failed one alone once filtered.
        var recent = page.Locator("#recent-runs tbody tr");
        await Expect(recent.Filter(new() { HasText = "walk-healthy" }).First).ToBeVisibleAsync();
        await page.GetByLabel("Ended").SelectOptionAsync("failed");
        await Expect(recent).ToHaveCountAsync(1);
        await Expect(recent).ToContainTextAsync("walk-gone");
        await Expect(recent).ToContainTextAsync(lastError[..Math.Min(60, lastError.Length)]);

        // The conflict, named by its organization and store, compared side by side: the status differs.
        var conflictRow = page.Locator("tr[data-conflict]").First;
        await Expect(conflictRow).ToContainTextAsync("walk-healthy");
        await Expect(conflictRow.GetByLabel("Resolution").Locator("option")).ToHaveCountAsync(4);
        await conflictRow.GetByRole(AriaRole.Button, new() { Name = "Compare versions" }).ClickAsync();
        var differs = page.Locator("tr.compare tr.differs");
        await Expect(differs.Filter(new() { HasText = "held-by-warehouse" })).ToHaveCountAsync(1);
        await Expect(differs.Filter(new() { HasText = "held-by-warehouse" }).Locator("th")).ToHaveTextAsync("status");
        await page.ScreenshotAsync(new() { Path = Artifacts.PathFor("dashboard-conflict.png"), FullPage = true });
        var conflictId = await conflictRow.GetAttributeAsync("data-conflict");
        await conflictRow.GetByLabel("Resolution").SelectOptionAsync("accept_source");
        await conflictRow.GetByRole(AriaRole.Button, new() { Name = "Resolve" }).ClickAsync();
        await Expect(page.Locator($"tr[data-conflict='{conflictId}']")).ToHaveCountAsync(0);
        Assert.Equal("resolved", (await api.GetFromJsonAsync<JsonElement>($"/api/conflicts/{conflictId}")).GetProperty("status").GetString());

        // The failed delivery, filtered to, names its connection and run; replayed, its row follows the new attempt.
        await page.GetByLabel("Failed only").CheckAsync();
        var delivery = page.Locator($"tr[data-delivery='{failedDelivery.GetProperty("id").GetString()}']");
        await Expect(delivery).ToContainTextAsync("woocommerce walk-gone");
        await Expect(delivery.Locator(".status")).ToHaveTextAsync("failed");
        await delivery.GetByRole(AriaRole.Button, new() { Name = "Payload" }).ClickAsync();
        await Expect(page.Locator("tr.payload pre")).ToContainTextAsync("sync.failed");
        await delivery.GetByRole(AriaRole.Button, new() { Name = "Replay" }).ClickAsync();
        await Expect(delivery.Locator(".status")).ToHaveTextAsync("delivered", new() { Timeout = 30_000 });
        await Expect(delivery.Locator(".attempts")).ToHaveTextAsync("1");
        await Expect(page.Locator("#live")).ToHaveTextAsync("Delivery replayed: delivered after 1 attempt.");

        await page.ScreenshotAsync(new() { Path = Artifacts.PathFor("dashboard-walk.png"), FullPage = true });
        var axe = await page.RunAxe();
        var severe = axe.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}").ToList();
        Assert.True(severe.Count == 0, string.Join("\n", severe));
        Assert.Empty(refused);
    }

    private static async Task<List<JsonElement>> DeliveriesAsync(HttpClient api)
    {
        var endpoints = (await api.GetFromJsonAsync<JsonElement>("/api/webhooks")).GetProperty("webhooks").EnumerateArray().ToList();
        var all = new List<JsonElement>();
        foreach (var endpoint in endpoints)
        {
            all.AddRange((await api.GetFromJsonAsync<JsonElement>($"/api/webhooks/{endpoint.GetProperty("id").GetString()}/deliveries")).GetProperty("deliveries").EnumerateArray());
        }

        return all;
    }

    /// <summary>A host whose live events and webhook sweeps come quickly enough for a page to follow them.</summary>
    private HostApp LiveHost(string prefix, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Sync:PageSize"] = "100",
            ["Events:PollInterval"] = "00:00:00.200",
            ["Events:ProgressInterval"] = "00:00:00.200",
            ["Webhooks:AllowedHosts:0"] = "127.0.0.1",
            ["Webhooks:SweepInterval"] = "00:00:00.200",
            ["Webhooks:SweepAfter"] = "00:00:00",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return new HostApp(storage, StorageServices.NewPrefix(prefix), settings);
    }

    private static HttpClient AdminClient(string baseUrl)
    {
        var api = new HttpClient { BaseAddress = new Uri(baseUrl) };
        api.DefaultRequestHeaders.Add("X-Api-Key", HostApp.AdminKey);
        return api;
    }

    /// <summary>Debian's chromium, headless: as root without a sandbox, and without the background traffic this machine's closed network refuses.</summary>
    private static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new()
    {
        ExecutablePath = Chromium.Path,
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });

    private async Task<SimStore> RegisterAsync(HttpClient api, string marketplace, string storeId, SimStoreConfig size, string organization = Organization)
    {
        var credentials = SyncHarness.CredentialsFor(marketplace, storeId);
        var store = simulator.State.PutStore(marketplace, storeId, size with { Credentials = credentials });
        var response = await api.PostAsJsonAsync("/api/connections", new
        {
            organizationId = organization, marketplace, externalStoreId = storeId, name = $"{marketplace} {storeId}", credentials,
            settings = new Dictionary<string, string> { ["baseUrl"] = simulator.BaseUrlFor(marketplace, storeId) },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return store;
    }

    private static async Task<JsonElement> ConnectionAsync(HttpClient api, string storeId, string organization = Organization)
    {
        var list = (await api.GetFromJsonAsync<JsonElement>($"/api/connections?organizationId={organization}")).GetProperty("connections");
        var id = list.EnumerateArray().Single(c => c.GetProperty("externalStoreId").GetString() == storeId).GetProperty("connectionId").GetString();
        return await api.GetFromJsonAsync<JsonElement>($"/api/connections/{id}");
    }

    private async Task<JsonElement> ReceiverAsync(HttpClient api, string receiver) =>
        await api.GetFromJsonAsync<JsonElement>($"{simulator.BaseUrl}/mock/webhooks/{receiver}");
}
