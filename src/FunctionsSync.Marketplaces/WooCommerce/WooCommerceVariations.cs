using System.Globalization;
using System.Text.Json;
using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Connections;
using FunctionsSync.Marketplaces.Http;

namespace FunctionsSync.Marketplaces.WooCommerce;

/// <summary>
/// The variations of a page's variable products: <c>GET /products/{id}/variations</c>, 100 a page in id order
/// (<c>orderby=id</c> is registered for variations: contracts/woocommerce/core-rest-parameters.md), until a page comes
/// back short or <c>X-WP-TotalPages</c> is reached. Each variation carries the price, SKU and stock its product lacks
/// (contracts/woocommerce/_product-variations.md).
/// </summary>
internal sealed class WooCommerceVariations(WooCommerceAdapter adapter)
{
    private const int PerPage = 100;

    /// <summary>Variations by product id, for the variable products among <paramref name="products"/>.</summary>
    public async Task<Dictionary<string, IReadOnlyList<JsonElement>>> ReadAsync(Connection connection, IEnumerable<JsonElement> products, string what, CancellationToken cancellationToken)
    {
        var byProduct = new Dictionary<string, IReadOnlyList<JsonElement>>();
        foreach (var product in products.Where(WooCommerceMapper.IsVariable))
        {
            if (WooCommerceAdapter.Id(product) is { } id)
            {
                byProduct[id] = await ReadProductAsync(connection, id, $"{what}: variations of product {id}", cancellationToken);
            }
        }

        return byProduct;
    }

    private async Task<IReadOnlyList<JsonElement>> ReadProductAsync(Connection connection, string productId, string what, CancellationToken cancellationToken)
    {
        var variations = new List<JsonElement>();
        for (var page = 1; ; page++)
        {
            using var response = await adapter.GetAsync(
                connection, $"products/{Uri.EscapeDataString(productId)}/variations?per_page={PerPage}&page={page}&orderby=id&order=asc", what, cancellationToken);
            if (response.Root.ValueKind != JsonValueKind.Array)
            {
                throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: expected a JSON array, got {response.Root.ValueKind}");
            }

            // Detached from the response, which is disposed with this page.
            variations.AddRange(response.Root.EnumerateArray().Select(v => v.Clone()));
            var pages = int.TryParse(response.Header("X-WP-TotalPages"), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : (int?)null;
            if (response.Root.GetArrayLength() < PerPage || (pages is { } last && page >= last))
            {
                return variations;
            }
        }
    }
}
