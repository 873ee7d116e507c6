namespace FunctionsSync.Simulator.Data;

/// <summary>The content of every simulated record, derived from (store seed, index, version).</summary>
public static class SimCatalog
{
    private static readonly string[] FirstNames = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Margaret", "Ken", "Frances", "Dennis", "Radia", "Linus"];
    private static readonly string[] LastNames = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Hamilton", "Thompson", "Allen", "Ritchie", "Perlman", "Torvalds"];
    private static readonly string[] Adjectives = ["Classic", "Organic", "Handmade", "Vintage", "Modern", "Rustic", "Deluxe", "Compact"];
    private static readonly string[] Nouns = ["Mug", "Scarf", "Lamp", "Notebook", "Candle", "Backpack", "Teapot", "Blanket", "Poster", "Ring"];
    private static readonly string[] OrderStatuses = ["paid", "pending", "partially_refunded", "refunded"];

    public const long OrderIdBase = 4_000_000_000;
    public const long ProductIdBase = 7_000_000_000;
    public const long CustomerIdBase = 9_000_000_000;

    public static long OrderId(int index) => OrderIdBase + index + 1;
    public static long ProductId(int index) => ProductIdBase + index + 1;
    public static long CustomerId(int index) => CustomerIdBase + index + 1;
    public static long VariantId(int productIndex, int variant) => ProductId(productIndex) * 10 + variant;

    /// <summary>Amazon order ids look like 123-1234567-1234567.</summary>
    public static string AmazonOrderId(int index) =>
        $"{111 + index / 10_000_000:D3}-{index % 10_000_000:D7}-{(OrderId(index) * 7919) % 10_000_000:D7}";

    /// <summary>A product's ASIN, as Amazon's getOrderItems and order reports name an item's product.</summary>
    public static string AmazonAsin(long productId) => $"B0{productId % 100_000_000:D8}";

    /// <summary>The index an Amazon order id names (the inverse of <see cref="AmazonOrderId"/>), if it is one of the store's.</summary>
    public static bool TryAmazonIndex(string orderId, int count, out int index)
    {
        index = -1;
        var parts = orderId.Split('-');
        if (parts.Length != 3 || parts.Any(p => p.Length == 0 || !p.All(char.IsAsciiDigit)) || !int.TryParse(parts[0], out var high) || !int.TryParse(parts[1], out var low))
        {
            return false;
        }

        var i = (long)(high - 111) * 10_000_000 + low;
        if (high < 111 || i >= count || AmazonOrderId((int)i) != orderId)
        {
            return false;
        }

        index = (int)i;
        return true;
    }

    public static bool TryIndex(SimKind kind, long id, int count, out int index)
    {
        var idBase = kind switch { SimKind.Orders => OrderIdBase, SimKind.Products => ProductIdBase, _ => CustomerIdBase };
        var i = id - idBase - 1;
        index = (int)Math.Clamp(i, -1, int.MaxValue);
        return i >= 0 && i < count;
    }

    public static SimCustomer Customer(SimStore store, SimRef at)
    {
        var r = SimRandom.For(store.Config.Seed, 3, at.Index);
        var first = r.Pick(FirstNames);
        var last = r.Next(1).Pick(LastNames);
        var email = at.Version == 0 ? $"{first}.{last}{at.Index}@example.com" : $"{first}.{last}{at.Index}+v{at.Version}@example.com";
        return new SimCustomer(CustomerId(at.Index), first, last, email.ToLowerInvariant(), r.Next(2).Int(0, 40), BaseCreatedAt(at), at.UpdatedAt);
    }

    public static SimProduct Product(SimStore store, SimRef at)
    {
        var r = SimRandom.For(store.Config.Seed, 2, at.Index);
        var title = $"{r.Pick(Adjectives)} {r.Next(1).Pick(Nouns)} {at.Index + 1}";
        var variantCount = r.Next(2).Int(1, Math.Max(1, store.Config.MaxVariants) + 1);
        var variants = new List<SimVariant>(variantCount);
        for (var v = 0; v < variantCount; v++)
        {
            var vr = r.Next(10 + v);
            var cents = vr.Int(500, 20_000) + at.Version * 100;
            var stock = Math.Max(0, vr.Next(1).Int(0, 500) - at.Version * 3);
            var compareAt = vr.Next(2).Int(0, 4) == 0 ? cents + 1_000 : (int?)null;
            variants.Add(new SimVariant(VariantId(at.Index, v), $"SKU-{at.Index + 1}-{v + 1}", cents / 100m, compareAt / 100m, stock));
        }

        return new SimProduct(ProductId(at.Index), title, IsDraft(store, at.Index) ? "draft" : "active", variants, BaseCreatedAt(at), at.UpdatedAt);
    }

    /// <summary>Whether the product at <paramref name="index"/> is a draft (one in ten), without making the whole product.</summary>
    public static bool IsDraft(SimStore store, int index) => SimRandom.For(store.Config.Seed, 2, index).Next(3).Int(0, 10) == 0;

    public static SimOrder Order(SimStore store, SimRef at)
    {
        var r = SimRandom.For(store.Config.Seed, 1, at.Index);
        var customerIndex = store.Config.Customers > 0 ? r.Int(0, store.Config.Customers) : -1;
        var lineCount = r.Next(1).Int(1, 4);
        var lines = new List<SimOrderLine>(lineCount);
        for (var l = 0; l < lineCount; l++)
        {
            var lr = r.Next(20 + l);
            var productIndex = store.Config.Products > 0 ? lr.Int(0, store.Config.Products) : 0;
            lines.Add(new SimOrderLine(OrderId(at.Index) * 10 + l, ProductId(productIndex), $"SKU-{productIndex + 1}-1", lr.Next(1).Int(1, 6), lr.Next(2).Int(500, 20_000) / 100m));
        }

        // Every change of an order changes its content (status and a small adjustment), as refunds and edits do.
        var total = lines.Sum(l => l.Quantity * l.Price) + at.Version * 0.01m;
        var customer = customerIndex >= 0 ? Customer(store, new SimRef(customerIndex, 0, at.UpdatedAt)) : null;
        return new SimOrder(
            OrderId(at.Index),
            1000 + at.Index + 1,
            OrderStatuses[(r.Next(2).Int(0, 2) + at.Version) % OrderStatuses.Length],
            store.Config.Currency,
            total,
            customer?.Id,
            customer?.Email,
            lines,
            BaseCreatedAt(at),
            at.UpdatedAt);
    }

    private static DateTimeOffset BaseCreatedAt(SimRef at) => SimStore.BaseTime.AddDays(-30).AddSeconds(at.Index);
}
