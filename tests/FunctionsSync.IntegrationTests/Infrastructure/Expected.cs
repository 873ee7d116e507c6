using System.Globalization;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Ingestion;
using FunctionsSync.Core.Records;
using FunctionsSync.Simulator.Data;

namespace FunctionsSync.IntegrationTests.Infrastructure;

/// <summary>
/// What a connection must hold after syncing a simulated store, computed from the simulator's own catalog, as
/// fingerprints (external id → the fields that change) that stored canonical records are compared with.
/// </summary>
public static class Expected
{
    public static IReadOnlySet<EntityType> Supported(string marketplace) => marketplace switch
    {
        MarketplaceNames.Amazon => new HashSet<EntityType> { EntityType.Orders },
        MarketplaceNames.Etsy => new HashSet<EntityType> { EntityType.Orders, EntityType.Products, EntityType.Prices },
        MarketplaceNames.Medipim => new HashSet<EntityType> { EntityType.Products, EntityType.Prices },
        _ => new HashSet<EntityType>(EntityTypes.All),
    };

    public static Dictionary<string, string> For(SimStore store, EntityType type)
    {
        var expected = new Dictionary<string, string>();
        if (!Supported(store.Marketplace).Contains(type))
        {
            return expected;
        }

        if (store.Marketplace == MarketplaceNames.Medipim)
        {
            return ForMedipim(store, type);
        }

        if (store.Marketplace == MarketplaceNames.Odoo && type != EntityType.Orders)
        {
            return ForOdoo(store, type);
        }

        // Shopify and WooCommerce (a variable product's variations) sell every variant; an Etsy listing here has one.
        var allVariants = store.Marketplace is MarketplaceNames.Shopify or MarketplaceNames.WooCommerce;
        switch (type)
        {
            case EntityType.Orders:
                for (var i = 0; i < store.Config.Orders; i++)
                {
                    if (!store.Exists(SimKind.Orders, i))
                    {
                        continue;
                    }

                    var order = SimCatalog.Order(store, store.Current(SimKind.Orders, i));
                    var id = store.Marketplace == MarketplaceNames.Amazon ? SimCatalog.AmazonOrderId(i) : order.Id.ToString(CultureInfo.InvariantCulture);
                    expected[id] = Fingerprint(order.Total, order.UpdatedAt);
                }

                break;
            case EntityType.Customers:
                for (var i = 0; i < store.Config.Customers; i++)
                {
                    if (!store.Exists(SimKind.Customers, i))
                    {
                        continue;
                    }

                    var customer = SimCatalog.Customer(store, store.Current(SimKind.Customers, i));
                    expected[customer.Id.ToString(CultureInfo.InvariantCulture)] = customer.Email;
                }

                break;
            case EntityType.Products:
                for (var i = 0; i < store.Config.Products; i++)
                {
                    if (!store.Exists(SimKind.Products, i))
                    {
                        continue;
                    }

                    var product = SimCatalog.Product(store, store.Current(SimKind.Products, i));
                    var variants = allVariants ? product.Variants : product.Variants.Take(1);
                    expected[product.Id.ToString(CultureInfo.InvariantCulture)] = $"{product.Title}|{variants.Sum(v => v.Stock)}";
                }

                break;
            case EntityType.Prices:
                for (var i = 0; i < store.Config.Products; i++)
                {
                    if (!store.Exists(SimKind.Products, i))
                    {
                        continue;
                    }

                    var product = SimCatalog.Product(store, store.Current(SimKind.Products, i));
                    // A simple WooCommerce product is priced as the product, a variable one per variation.
                    if (allVariants && (store.Marketplace == MarketplaceNames.Shopify || product.Variants.Count > 1))
                    {
                        foreach (var v in product.Variants)
                        {
                            expected[v.Id.ToString(CultureInfo.InvariantCulture)] = v.Price.ToString("0.00", CultureInfo.InvariantCulture);
                        }
                    }
                    else
                    {
                        expected[product.Id.ToString(CultureInfo.InvariantCulture)] = product.Variants[0].Price.ToString("0.00", CultureInfo.InvariantCulture);
                    }
                }

                break;
        }

        return expected;
    }

    /// <summary>
    /// An Odoo database: every partner and product, archived ones too; prices are each product's list price and the
    /// pricelists' fixed prices (a percentage rule is no price).
    /// </summary>
    private static Dictionary<string, string> ForOdoo(SimStore store, EntityType type)
    {
        var expected = new Dictionary<string, string>();
        var kind = type == EntityType.Customers ? SimKind.Customers : SimKind.Products;
        for (var i = 0; i < store.Count(kind); i++)
        {
            if (!store.Exists(kind, i))
            {
                continue;
            }

            var at = store.Current(kind, i);
            if (type == EntityType.Customers)
            {
                var customer = SimCatalog.Customer(store, at);
                expected[customer.Id.ToString(CultureInfo.InvariantCulture)] = customer.Email;
                continue;
            }

            var product = SimCatalog.Product(store, at);
            var id = product.Id.ToString(CultureInfo.InvariantCulture);
            if (type == EntityType.Products)
            {
                expected[id] = $"{product.Title}|{product.Variants[0].Stock}";
                continue;
            }

            expected[id] = product.Variants[0].Price.ToString("0.00", CultureInfo.InvariantCulture);
            if (SimOdoo.HasFixedPrice(i))
            {
                expected[$"item-{(product.Id * 10) + 7}"] = SimOdoo.FixedPrice(product).ToString("0.00", CultureInfo.InvariantCulture);
            }
        }

        return expected;
    }

    /// <summary>A MediPim catalogue: each product (its Dutch name, no stock) and, where it has one, its public price in cents.</summary>
    private static Dictionary<string, string> ForMedipim(SimStore store, EntityType type)
    {
        var expected = new Dictionary<string, string>();
        for (var i = 0; i < store.Config.Products; i++)
        {
            if (!store.Exists(SimKind.Products, i))
            {
                continue;
            }

            var at = store.Current(SimKind.Products, i);
            var product = SimMedipim.Product(store, at);
            if (type == EntityType.Products)
            {
                expected[SimMedipim.Id(i)] = $"{product["name"]!["nl"]}|0";
            }
            else if (SimMedipim.PublicPrice(store, at) is { } cents)
            {
                expected[SimMedipim.Id(i)] = (cents / 100m).ToString("0.00", CultureInfo.InvariantCulture);
            }
        }

        return expected;
    }

    public static string Fingerprint(StoredRecord stored) => stored.Record switch
    {
        OrderRecord o => Fingerprint(o.Total, o.UpdatedAt),
        CustomerRecord c => c.Email ?? "",
        ProductRecord p => $"{p.Title}|{p.Inventory.Sum(i => i.Available)}",
        PriceRecord p => p.Amount.ToString("0.00", CultureInfo.InvariantCulture),
        _ => throw new InvalidOperationException(),
    };

    private static string Fingerprint(decimal total, DateTimeOffset updatedAt) =>
        $"{total.ToString("0.00", CultureInfo.InvariantCulture)}@{updatedAt.ToUnixTimeSeconds()}";

    /// <summary>Amazon orders' lines as the catalog has them, by order id: SKU, ASIN, quantity and unit price, in order.</summary>
    public static Dictionary<string, string> AmazonLines(SimStore store)
    {
        var expected = new Dictionary<string, string>();
        for (var i = 0; i < store.Config.Orders; i++)
        {
            var order = SimCatalog.Order(store, store.Current(SimKind.Orders, i));
            expected[SimCatalog.AmazonOrderId(i)] = Lines(order.Lines.Select(l => ((string?)l.Sku, (string?)SimCatalog.AmazonAsin(l.ProductId), l.Quantity, l.Price)));
        }

        return expected;
    }

    /// <summary>Shopify orders' lines as the catalog has them, by order id: SKU, product id, quantity and unit price, in order.</summary>
    public static Dictionary<string, string> ShopifyLines(SimStore store)
    {
        var expected = new Dictionary<string, string>();
        for (var i = 0; i < store.Config.Orders; i++)
        {
            var order = SimCatalog.Order(store, store.Current(SimKind.Orders, i));
            expected[order.Id.ToString(CultureInfo.InvariantCulture)] =
                Lines(order.Lines.Select(l => ((string?)l.Sku, (string?)l.ProductId.ToString(CultureInfo.InvariantCulture), l.Quantity, l.Price)));
        }

        return expected;
    }

    /// <summary>Every product's variants (Shopify variants, WooCommerce variations) as the catalog has them, by product id: SKU=stock, in order.</summary>
    public static Dictionary<string, string> Variants(SimStore store)
    {
        var expected = new Dictionary<string, string>();
        for (var i = 0; i < store.Config.Products; i++)
        {
            var product = SimCatalog.Product(store, store.Current(SimKind.Products, i));
            expected[product.Id.ToString(CultureInfo.InvariantCulture)] =
                string.Join(";", product.Variants.Select(v => $"{v.Sku}={v.Stock.ToString(CultureInfo.InvariantCulture)}"));
        }

        return expected;
    }

    /// <summary>Asserts every stored order has exactly the expected lines, each with an id of its own within the order.</summary>
    public static void LinesMatch(Dictionary<string, string> expected, Dictionary<string, StoredRecord> stored, string what)
    {
        Assert.Equal(expected.Count, stored.Count);
        var wrong = expected.Select(e => (e.Key, Want: e.Value, Got: stored.TryGetValue(e.Key, out var s) ? Lines((OrderRecord)s.Record) : "(not stored)"))
            .Where(e => e.Want != e.Got).Take(3).Select(e => $"{e.Key}: want [{e.Want}], got [{e.Got}]").ToList();
        Assert.True(wrong.Count == 0, $"{what}: lines differ: {string.Join("; ", wrong)}");
        var repeated = stored.Values.Select(s => (OrderRecord)s.Record).Where(o => o.Lines.Select(l => l.ExternalId).Distinct().Count() != o.Lines.Count).Select(o => o.ExternalId).Take(3).ToList();
        Assert.True(repeated.Count == 0, $"{what}: orders with two lines of one id: {string.Join(", ", repeated)}");
    }

    private static string Lines(OrderRecord order) => Lines(order.Lines.Select(l => (l.Sku, l.ProductExternalId, l.Quantity, l.UnitPrice)));

    private static string Lines(IEnumerable<(string? Sku, string? Asin, int Quantity, decimal Price)> lines) =>
        string.Join(";", lines.Select(l => $"{l.Sku}({l.Asin})x{l.Quantity}@{l.Price.ToString("0.00##", CultureInfo.InvariantCulture)}"));

    /// <summary>Asserts the stored records of one type are exactly the expected ones, field for field.</summary>
    public static void Matches(Dictionary<string, string> expected, Dictionary<string, StoredRecord> stored, string what)
    {
        var missing = expected.Keys.Except(stored.Keys).Take(5).ToList();
        var extra = stored.Keys.Except(expected.Keys).Take(5).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"{what}: {expected.Count} expected, {stored.Count} stored; missing e.g. [{string.Join(", ", missing)}], extra e.g. [{string.Join(", ", extra)}]");
        var wrong = expected.Where(e => Fingerprint(stored[e.Key]) != e.Value).Take(5).Select(e => $"{e.Key}: want {e.Value}, got {Fingerprint(stored[e.Key])}").ToList();
        Assert.True(wrong.Count == 0, $"{what}: content differs: {string.Join("; ", wrong)}");
    }
}
