namespace FunctionsSync.Core.Connections;

/// <summary>The marketplaces FunctionsSync has adapters for, by their wire name (what a host registers is <see cref="Adapters.IMarketplaceAdapterRegistry.Marketplaces"/>).</summary>
public static class MarketplaceNames
{
    public const string Shopify = "shopify";
    public const string WooCommerce = "woocommerce";
    public const string Etsy = "etsy";
    public const string Amazon = "amazon";

    public static IReadOnlyList<string> All { get; } = [Shopify, WooCommerce, Etsy, Amazon];
}
