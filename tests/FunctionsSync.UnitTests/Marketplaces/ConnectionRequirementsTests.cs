using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Connections.Settings;
using FunctionsSync.Marketplaces.Amazon;
using FunctionsSync.Marketplaces.Shopify;

namespace FunctionsSync.UnitTests.Marketplaces;

public sealed class ConnectionRequirementsTests
{
    private static Connection With(string marketplace, Dictionary<string, string> settings) => new()
    {
        Id = "c1", OrganizationId = "o", Marketplace = marketplace, ExternalStoreId = "s", Name = "n", Settings = settings,
    };

    [Theory]
    [InlineData("fullSync", "report", true)]
    [InlineData("fullSync", "orders", true)]
    [InlineData("fullSync", "bulk", false)]
    [InlineData("historyStart", "2023-12-01T00:00:00Z", true)]
    [InlineData("historyStart", "last spring", false)]
    [InlineData("reportWindowDays", "30", true)]
    [InlineData("reportWindowDays", "0", false)]
    [InlineData("reportWindowDays", "9000", false)]
    [InlineData("orderItems", "false", true)]
    [InlineData("orderItems", "no", false)]
    [InlineData("ordersApi", "v0", true)]
    [InlineData("ordersApi", "2024-01-01", false)]
    [InlineData("pageSize", "100", true)]
    [InlineData("batchSize", "101", false)]
    [InlineData("rateLimitPerSecond", "NaN", false)]
    public void Amazons_sync_settings_are_checked_before_a_run_needs_them(string name, string value, bool valid)
    {
        var problems = AmazonSettings.Requirements.Validate(MarketplaceNames.Amazon, null, new Dictionary<string, string> { [name] = value }).ToList();
        Assert.Equal(valid, problems.Count == 0);
        if (!valid)
        {
            Assert.Equal("settings." + name, Assert.Single(problems).Field);
        }
    }

    [Fact]
    public void Every_accepted_value_reads_as_itself_and_absent_ones_as_the_default()
    {
        var amazon = AmazonSettings.Of(With(MarketplaceNames.Amazon, new()
        {
            ["fullSync"] = "orders", ["ordersApi"] = "v0", ["orderItems"] = "false", ["historyStart"] = "2024-02-01T00:00:00+01:00", ["reportWindowDays"] = "7.5", ["marketplaceId"] = "A1PA6795UKMFR9",
        }));
        Assert.Equal(new AmazonSettings(AmazonFullSync.Orders, AmazonOrdersVersion.V0, false, new DateTimeOffset(2024, 1, 31, 23, 0, 0, TimeSpan.Zero), 7.5, "A1PA6795UKMFR9"), amazon);
        Assert.Equal(
            new AmazonSettings(AmazonFullSync.Report, AmazonOrdersVersion.SearchOrders, true, null, AmazonSettings.DefaultWindowDays, AmazonSettings.DefaultMarketplaceId),
            AmazonSettings.Of(With(MarketplaceNames.Amazon, new() { ["fullSync"] = " " })));
        Assert.Equal(new ShopifySettings(ShopifyApi.Rest, ShopifyFullSync.Paged, "2026-04", "EUR"),
            ShopifySettings.Of(With(MarketplaceNames.Shopify, new() { ["api"] = "rest", ["fullSync"] = "paged", ["apiVersion"] = "2026-04", ["currency"] = "EUR" })));
        Assert.Equal(new ShopifySettings(ShopifyApi.GraphQl, ShopifyFullSync.Bulk, null, "USD"), ShopifySettings.Of(With(MarketplaceNames.Shopify, [])));
    }

    [Fact]
    public void A_page_size_stored_under_an_older_wider_rule_is_read_at_the_marketplaces_limit()
    {
        // Registration accepted up to 1,000 before the limit was the adapter's: such a row still syncs, at the limit.
        var stored = With(MarketplaceNames.Shopify, new() { ["batchSize"] = "1000" });
        Assert.Equal(250, ShopifySettings.Requirements.PageSize.Of(stored));
        Assert.Equal(40, ShopifySettings.Requirements.PageSize.Of(With(MarketplaceNames.Shopify, new() { ["pageSize"] = "40", ["batchSize"] = "90" })));
        Assert.Null(ShopifySettings.Requirements.PageSize.Of(With(MarketplaceNames.Shopify, new() { ["batchSize"] = "many" })));
    }

    [Fact]
    public void A_refresh_token_stands_for_the_access_token_only_where_tokens_are_refreshed()
    {
        var credentials = new Dictionary<string, string> { [OAuthTokenState.RefreshTokenKey] = "r" };
        Assert.Empty(ShopifySettings.Requirements.Validate(MarketplaceNames.Shopify, credentials, null));
        var custom = ShopifySettings.Requirements with { RefreshesTokens = false };
        Assert.Equal("credentials.accessToken", Assert.Single(custom.Validate(MarketplaceNames.Shopify, credentials, null)).Field);
    }

    [Fact]
    public void Every_adapter_setting_is_named_once()
    {
        foreach (var requirements in new[] { AmazonSettings.Requirements, ShopifySettings.Requirements })
        {
            var keys = requirements.AllSettings.SelectMany(s => s.Keys).ToList();
            Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
        }

        Assert.Contains(CommonSettings.BaseUrl, ShopifySettings.Requirements.AllSettings);
    }
}
