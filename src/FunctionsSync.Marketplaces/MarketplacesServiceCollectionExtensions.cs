using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Outbound;
using FunctionsSync.Core.Receipts;
using FunctionsSync.Marketplaces.Amazon;
using FunctionsSync.Marketplaces.Etsy;
using FunctionsSync.Marketplaces.Http;
using FunctionsSync.Marketplaces.OAuth;
using FunctionsSync.Marketplaces.Receipts;
using FunctionsSync.Marketplaces.Resilience;
using FunctionsSync.Marketplaces.Shopify;
using FunctionsSync.Marketplaces.WooCommerce;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FunctionsSync.Marketplaces;

public static class MarketplacesServiceCollectionExtensions
{
    /// <summary>The four HTTP adapters and the resilient client they share.</summary>
    public static IServiceCollection AddFunctionsSyncMarketplaces(this IServiceCollection services)
    {
        services.AddOptions<MarketplaceHttpOptions>().BindConfiguration(MarketplaceHttpOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        // The pipeline enforces per-attempt timeouts; HttpClient's own 100 s limit must not cut across retries.
        // Connections name their own addresses (settings.baseUrl): every connection dialled is checked against the
        // outbound policy, so credentials never go to a loopback, private or metadata address that is not allow-listed.
        services.AddHttpClient(MarketplaceHttp.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                ConnectCallback = sp.GetRequiredService<MarketplaceTargets>().Policy.ConnectAsync,
            })
            // Four Information lines per call buried everything else: MarketplaceHttp logs each call once, at Debug.
            .RemoveAllLoggers();
        services.TryAddSingleton<ConnectionPipelines>();
        services.TryAddSingleton<MarketplaceHttp>();
        services.AddOptions<ShopifyOptions>().BindConfiguration(ShopifyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<ShopifyRestApi>();
        services.TryAddSingleton<ShopifyCostBudgets>();
        services.TryAddSingleton<ShopifyGraphQlClient>();
        services.TryAddSingleton<ShopifyGraphQlFeed>();
        services.TryAddSingleton<ShopifyDeletionEvents>();
        services.TryAddSingleton<ShopifyBulkFeed>();
        services.TryAddSingleton<ShopifyBulkPrestarts>();
        services.AddOptions<OAuthOptions>().BindConfiguration(OAuthOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<TokenEndpoint>();
        services.TryAddSingleton<AccessTokens>();
        services.TryAddSingleton<ShopifyAdapter>();
        services.TryAddSingleton<EtsyAdapter>();
        services.TryAddSingleton<AmazonAdapter>();
        // Shopify, Etsy and Amazon expire access tokens: their adapters read with a refreshed one.
        services.AddSingleton<IMarketplaceAdapter>(sp => new TokenRefreshingAdapter(sp.GetRequiredService<ShopifyAdapter>(), sp.GetRequiredService<AccessTokens>()));
        services.AddSingleton<IMarketplaceAdapter, WooCommerceAdapter>();
        services.TryAddSingleton<Medipim.MedipimStreams>();
        services.AddSingleton<IMarketplaceAdapter, Medipim.MedipimAdapter>();
        services.TryAddSingleton<Odoo.OdooClient>();
        services.TryAddSingleton<Odoo.OdooFeed>();
        services.AddSingleton<IMarketplaceAdapter, Odoo.OdooAdapter>();
        services.AddSingleton<IMarketplaceAdapter>(sp => new TokenRefreshingAdapter(sp.GetRequiredService<EtsyAdapter>(), sp.GetRequiredService<AccessTokens>()));
        services.AddOptions<AmazonOptions>().BindConfiguration(AmazonOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<AmazonOrderItemsApi>();
        services.TryAddSingleton<AmazonOrdersV0Api>();
        services.TryAddSingleton<AmazonSearchOrdersApi>();
        services.TryAddSingleton<AmazonOrdersApi>();
        services.TryAddSingleton<AmazonOrderHistory>();
        services.AddSingleton<IMarketplaceAdapter>(sp => new TokenRefreshingAdapter(sp.GetRequiredService<AmazonAdapter>(), sp.GetRequiredService<AccessTokens>()));
        services.AddHttpClient(HttpReceiptValidator.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan).RemoveAllLoggers();
        services.TryAddSingleton<IReceiptValidator, HttpReceiptValidator>();
        return services;
    }
}
