namespace FunctionsSync.Core.Connections;

/// <summary>The marketplaces FunctionsSync has adapters for, by their wire name (what a host registers is <see cref="Adapters.IMarketplaceAdapterRegistry.Marketplaces"/>).</summary>
public static class MarketplaceNames
{
    public const string Shopify = "shopify";
    public const string WooCommerce = "woocommerce";
    public const string Etsy = "etsy";
    public const string Amazon = "amazon";

    /// <summary>MediPim's product catalogue: a source of products and prices, not a marketplace, read the same way.</summary>
    public const string Medipim = "medipim";

    /// <summary>Odoo, the ERP: a source of customers, products, prices and orders, read the same way.</summary>
    public const string Odoo = "odoo";

    /// <summary>The four marketplaces proper (the demo seeds a store of each); the catalogue sources are named apart.</summary>
    public static IReadOnlyList<string> All { get; } = [Shopify, WooCommerce, Etsy, Amazon];
}
