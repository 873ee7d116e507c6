using System.Security.Cryptography;
using System.Text;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Notifications;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;

namespace FunctionsSync.UnitTests.Notifications;

/// <summary>What a verified notification names for a targeted re-fetch, and how named feeds coalesce.</summary>
public sealed class NotifiedRecordsTests
{
    private const string Secret = "shh-0123456789";
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static Connection On(string marketplace) => new()
    {
        Id = "c1", OrganizationId = "o1", Marketplace = marketplace, ExternalStoreId = "s1", Name = "s1",
        Credentials = new Dictionary<string, string> { [NotificationSignatures.SecretKey] = Secret },
    };

    private static string Sign(string body) => Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(body)));

    private static MarketplaceNotification Verify(string marketplace, string topic, string body)
    {
        var headers = marketplace == MarketplaceNames.Shopify
            ? new Dictionary<string, string> { ["X-Shopify-Hmac-Sha256"] = Sign(body), ["X-Shopify-Topic"] = topic, ["X-Shopify-Event-Id"] = "e1" }
            : new Dictionary<string, string> { ["X-WC-Webhook-Signature"] = Sign(body), ["X-WC-Webhook-Topic"] = topic };
        return NotificationSignatures.Verify(On(marketplace), body, h => headers.GetValueOrDefault(h), Now)!;
    }

    [Fact]
    public void A_shopify_notification_names_its_order_product_or_customer_and_an_inventory_one_names_none()
    {
        var order = Verify(MarketplaceNames.Shopify, "orders/updated", """{"id": 450789469, "admin_graphql_api_id": "gid://shopify/Order/450789469"}""");
        Assert.Equal([new RunTarget(EntityType.Orders, ["450789469"])], order.Feeds, TargetEquality.Instance);

        var product = Verify(MarketplaceNames.Shopify, "products/update", """{"id": "632910392"}""");
        Assert.Equal([new RunTarget(EntityType.Products, ["632910392"]), new RunTarget(EntityType.Prices, ["632910392"])], product.Feeds, TargetEquality.Instance);

        // An inventory level names an inventory item: its feeds are read from their marks.
        var level = Verify(MarketplaceNames.Shopify, "inventory_levels/update", """{"inventory_item_id": 271878346596884015, "available": 6}""");
        Assert.All(level.Feeds, f => Assert.Null(f.Ids));
    }

    [Fact]
    public void A_woocommerce_variation_names_its_parent_product_and_a_body_without_a_readable_id_names_none()
    {
        var variation = Verify(MarketplaceNames.WooCommerce, "product.updated", """{"id": 733, "parent_id": 731, "date_modified_gmt": "2026-12-07T11:59:00"}""");
        Assert.Equal(["731"], variation.Named);
        var product = Verify(MarketplaceNames.WooCommerce, "product.updated", """{"id": 731, "parent_id": 0, "date_modified_gmt": "2026-12-07T11:59:00"}""");
        Assert.Equal(["731"], product.Named);
        Assert.Empty(Verify(MarketplaceNames.WooCommerce, "order.updated", """{"id": "12; DROP"}""").Named);
        Assert.Empty(Verify(MarketplaceNames.WooCommerce, "order.updated", """[1, 2]""").Named);
    }

    [Fact]
    public void Named_feeds_coalesce_into_their_union_and_into_a_whole_read_past_the_limit_or_beside_one()
    {
        IReadOnlyList<RunTarget> first = [new(EntityType.Orders, ["1", "2"]), new(EntityType.Customers, ["9"])];
        var merged = RunTarget.Merge(first, [new(EntityType.Orders, ["2", "3"]), new(EntityType.Products, null)], maxIds: 3);
        Assert.Equal([new RunTarget(EntityType.Orders, ["1", "2", "3"]), new RunTarget(EntityType.Customers, ["9"]), new RunTarget(EntityType.Products, null)], merged, TargetEquality.Instance);

        // A fourth order passes the limit: the orders feed is read from its mark; a whole read absorbs any ids after it.
        var past = RunTarget.Merge(merged, [new(EntityType.Orders, ["4"]), new(EntityType.Products, ["5"])], maxIds: 3);
        Assert.Null(past.Single(t => t.EntityType == EntityType.Orders).Ids);
        Assert.Null(past.Single(t => t.EntityType == EntityType.Products).Ids);
    }

    private sealed class TargetEquality : IEqualityComparer<RunTarget>
    {
        public static readonly TargetEquality Instance = new();

        public bool Equals(RunTarget? x, RunTarget? y) =>
            x!.EntityType == y!.EntityType && (x.Ids is null ? y.Ids is null : y.Ids is not null && x.Ids.SequenceEqual(y.Ids));

        public int GetHashCode(RunTarget obj) => obj.EntityType.GetHashCode();
    }
}
