namespace FunctionsSync.Core.Connections;

/// <summary>The marketplaces FunctionsSync has adapters for, by their wire name.</summary>
public static class MarketplaceNames
{
    public const string Shopify = "shopify";
    public const string WooCommerce = "woocommerce";
    public const string Etsy = "etsy";
    public const string Amazon = "amazon";

    public static IReadOnlyList<string> All { get; } = [Shopify, WooCommerce, Etsy, Amazon];

    public static bool IsKnown(string? name) => name is not null && All.Contains(name);
}
