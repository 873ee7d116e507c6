using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using FunctionsSync.Simulator.Data;

namespace FunctionsSync.Simulator.Endpoints;

/// <summary>
/// WooCommerce REST v3: orders, products (simple and variable), a product's variations and customers, with page/offset
/// paging, X-WP-Total headers and the parameters core registers per endpoint (<see cref="WooCommerceParameters"/>).
/// </summary>
internal static class WooCommerceEndpoints
{
    private static readonly Dialect Dialect = new(
        "woocommerce",
        Authorize,
        () => Results.Json(new { code = "woocommerce_rest_cannot_view", message = "Sorry, you cannot list resources.", data = new { status = 401 } }, statusCode: StatusCodes.Status401Unauthorized),
        (_, _, _) => { },
        () => new { code = "too_many_requests", message = "Too many requests.", data = new { status = 429 } });

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/woocommerce/{storeId}/wp-json/wc/v3/{resource}", (HttpContext http, SimulatorState state, string storeId, string resource) =>
            SimResponder.ServeAsync(http, state, Dialect, storeId, store => List(http, state, store, resource)));
        app.MapGet("/woocommerce/{storeId}/wp-json/wc/v3/{resource}/{id}", (HttpContext http, SimulatorState state, string storeId, string resource, string id) =>
            SimResponder.ServeAsync(http, state, Dialect, storeId, store => One(store, resource, id)));
        app.MapGet("/woocommerce/{storeId}/wp-json/wc/v3/products/{productId}/variations", (HttpContext http, SimulatorState state, string storeId, string productId) =>
            SimResponder.ServeAsync(http, state, Dialect, storeId, store => Variations(http, store, productId)));
    }

    private static bool Authorize(SimStore store, HttpRequest request)
    {
        var key = store.Config.Credentials.GetValueOrDefault("consumerKey");
        var secret = store.Config.Credentials.GetValueOrDefault("consumerSecret");
        if (key is null || secret is null)
        {
            return false;
        }

        // Basic authentication over HTTPS, else the keys as query parameters (woocommerce/_authentication.md).
        return request.Headers.Authorization.ToString().StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)
            ? SimResponder.BasicMatches(request, key, secret)
            : request.Query["consumer_key"] == key && request.Query["consumer_secret"] == secret;
    }

    private static IResult Invalid(string param) =>
        SimResponder.BadRequest(new { code = "rest_invalid_param", message = $"Invalid parameter(s): {param}", data = new { status = 400, @params = new Dictionary<string, string> { [param] = $"{param} is not valid." } } });

    private static SimResult List(HttpContext http, SimulatorState state, SimStore store, string resource)
    {
        (SimKind Kind, WooCommerceParameters Parameters)? endpoint = resource switch
        {
            "orders" => (SimKind.Orders, WooCommerceParameters.Orders),
            "products" => (SimKind.Products, WooCommerceParameters.Products),
            "customers" => (SimKind.Customers, WooCommerceParameters.Customers),
            _ => null,
        };
        if (endpoint is not var (kind, parameters))
        {
            return SimResult.Fail(Results.Json(new { code = "rest_no_route", message = "No route was found matching the URL and request method.", data = new { status = 404 } }, statusCode: 404));
        }

        var (request, invalid) = parameters.Read(http.Request.Query);
        if (request is null)
        {
            return SimResult.Fail(Invalid(invalid!));
        }

        var total = request.Include is null ? store.CountMatching(kind, request.ModifiedAfter, true, request.MaxModified) : Ordered(store, kind, request).Count();
        Totals(http, total, request.PerPage);
        var items = new JsonArray();
        foreach (var at in Ordered(store, kind, request).Skip(request.Skip).Take(request.PerPage))
        {
            var record = kind switch
            {
                SimKind.Orders => Order(SimCatalog.Order(store, at)),
                SimKind.Products => Product(SimCatalog.Product(store, at)),
                _ => Customer(SimCatalog.Customer(store, at)),
            };
            items.Add(record.WithFaults(state, at.Index));
        }

        return SimResult.Ok(items.WithPageFaults(state));
    }

    /// <summary>
    /// The records of a list in the order asked: by modification time (and id) through the store's feed; by id, date
    /// (creation, which rises with the id here) or any other key in id order; customers by name as WordPress sorts
    /// display names. Descending orders are the same walked backwards.
    /// </summary>
    private static IEnumerable<SimRef> Ordered(SimStore store, SimKind kind, WooListRequest request)
    {
        var named = request.Include is { } ids ? store.Feed(kind, new FeedQuery(request.ModifiedAfter, MinExclusive: true, request.MaxModified, Ids: ids)) : null;
        IEnumerable<SimRef> records = request.OrderBy switch
        {
            "modified" => named ?? store.Feed(kind, new FeedQuery(request.ModifiedAfter, MinExclusive: true, request.MaxModified)),
            _ => named?.OrderBy(at => at.Index) ?? store.Existing(kind).Where(at => request.Admits(at.UpdatedAt)),
        };
        if (kind == SimKind.Customers && request.OrderBy == "name")
        {
            records = records.OrderBy(at => SimCatalog.Customer(store, at) is var c ? $"{c.FirstName} {c.LastName}" : "", StringComparer.Ordinal).ThenBy(at => at.Index);
        }

        return request.Descending ? records.Reverse() : records;
    }

    /// <summary>
    /// One order, product or customer by id; a deleted one (or an id never used) is a 404 with core's code for the
    /// resource (<c>woocommerce_rest_shop_order_invalid_id</c>, <c>woocommerce_rest_product_invalid_id</c>,
    /// <c>woocommerce_rest_invalid_id</c>).
    /// </summary>
    private static SimResult One(SimStore store, string resource, string id)
    {
        (SimKind Kind, string Code)? known = resource switch
        {
            "orders" => (SimKind.Orders, "woocommerce_rest_shop_order_invalid_id"),
            "products" => (SimKind.Products, "woocommerce_rest_product_invalid_id"),
            "customers" => (SimKind.Customers, "woocommerce_rest_invalid_id"),
            _ => null,
        };
        if (known is not var (kind, code))
        {
            return SimResult.Fail(Results.Json(new { code = "rest_no_route", message = "No route was found matching the URL and request method.", data = new { status = 404 } }, statusCode: 404));
        }

        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || !SimCatalog.TryIndex(kind, number, store.Count(kind), out var index) || !store.Exists(kind, index))
        {
            return SimResult.Fail(Results.Json(new { code, message = "Invalid ID.", data = new { status = 404 } }, statusCode: 404));
        }

        var at = store.Current(kind, index);
        return SimResult.Ok(kind switch
        {
            SimKind.Orders => Order(SimCatalog.Order(store, at)),
            SimKind.Products => Product(SimCatalog.Product(store, at)),
            _ => Customer(SimCatalog.Customer(store, at)),
        });
    }

    private static SimResult Variations(HttpContext http, SimStore store, string productId)
    {
        if (!long.TryParse(productId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || !SimCatalog.TryIndex(SimKind.Products, id, store.Count(SimKind.Products), out var index) || !store.Exists(SimKind.Products, index))
        {
            return SimResult.Fail(Results.Json(new { code = "woocommerce_rest_product_invalid_id", message = "Invalid ID.", data = new { status = 404 } }, statusCode: 404));
        }

        var (request, invalid) = WooCommerceParameters.Variations.Read(http.Request.Query);
        if (request is null)
        {
            return SimResult.Fail(Invalid(invalid!));
        }

        // A simple product has no variations; a variable one has one per variant, all changed with their product.
        var product = SimCatalog.Product(store, store.Current(SimKind.Products, index));
        var variations = IsVariable(product) && request.Admits(product.UpdatedAt) ? product.Variants : [];
        Totals(http, variations.Count, request.PerPage);
        var ordered = request.Descending ? variations.AsEnumerable().Reverse() : variations;
        var items = new JsonArray();
        foreach (var v in ordered.Skip(request.Skip).Take(request.PerPage))
        {
            items.Add(Variation(product, v));
        }

        return SimResult.Ok(items);
    }

    private static void Totals(HttpContext http, long total, int perPage)
    {
        http.Response.Headers["X-WP-Total"] = total.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["X-WP-TotalPages"] = ((total + perPage - 1) / perPage).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A product with more than one variant is a variable product (contracts/woocommerce/_products.md).</summary>
    public static bool IsVariable(SimProduct product) => product.Variants.Count > 1;

    private static string Date(DateTimeOffset value) => value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    internal static JsonObject Order(SimOrder o)
    {
        var lines = new JsonArray();
        foreach (var l in o.Lines)
        {
            lines.Add(new JsonObject
            {
                ["id"] = l.Id, ["product_id"] = l.ProductId, ["sku"] = l.Sku, ["quantity"] = l.Quantity, ["price"] = l.Price,
            });
        }

        return new JsonObject
        {
            ["id"] = o.Id,
            ["number"] = o.Number.ToString(CultureInfo.InvariantCulture),
            ["status"] = o.Status switch { "paid" => "processing", "refunded" => "refunded", "pending" => "pending", _ => "completed" },
            ["currency"] = o.Currency,
            ["total"] = SimResponder.Money(o.Total),
            ["customer_id"] = o.CustomerId ?? 0,
            ["date_created_gmt"] = Date(o.CreatedAt),
            ["date_modified_gmt"] = Date(o.UpdatedAt),
            ["billing"] = new JsonObject { ["email"] = o.Email ?? "" },
            ["line_items"] = lines,
        };
    }

    /// <summary>
    /// A product as <c>/products</c> lists it: a simple one with its price, SKU and stock; a variable one with none of
    /// them (<c>"price": ""</c>, <c>"stock_quantity": null</c>, as in the reference's variable example) and the ids of
    /// its variations.
    /// </summary>
    internal static JsonObject Product(SimProduct p)
    {
        var variable = IsVariable(p);
        var v = p.Variants[0];
        return new JsonObject
        {
            ["id"] = p.Id,
            ["name"] = p.Title,
            ["type"] = variable ? "variable" : "simple",
            ["status"] = p.Status == "active" ? "publish" : "draft",
            ["sku"] = variable ? "" : v.Sku,
            ["price"] = variable ? "" : SimResponder.Money(v.Price),
            ["regular_price"] = variable ? "" : SimResponder.Money(v.CompareAtPrice ?? v.Price),
            ["sale_price"] = variable || v.CompareAtPrice is null ? "" : SimResponder.Money(v.Price),
            ["manage_stock"] = !variable,
            ["stock_quantity"] = variable ? null : v.Stock,
            ["variations"] = new JsonArray([.. (variable ? p.Variants : []).Select(x => (JsonNode)x.Id)]),
            ["date_created_gmt"] = Date(p.CreatedAt),
            ["date_modified_gmt"] = Date(p.UpdatedAt),
        };
    }

    /// <summary>A variation as <c>/products/{id}/variations</c> lists it (contracts/woocommerce/_product-variations.md).</summary>
    private static JsonObject Variation(SimProduct p, SimVariant v) => new()
    {
        ["id"] = v.Id,
        ["sku"] = v.Sku,
        ["status"] = "publish",
        ["price"] = SimResponder.Money(v.Price),
        ["regular_price"] = SimResponder.Money(v.CompareAtPrice ?? v.Price),
        ["sale_price"] = v.CompareAtPrice is null ? "" : SimResponder.Money(v.Price),
        ["manage_stock"] = true,
        ["stock_quantity"] = v.Stock,
        ["date_created_gmt"] = Date(p.CreatedAt),
        ["date_modified_gmt"] = Date(p.UpdatedAt),
    };

    internal static JsonObject Customer(SimCustomer c) => new()
    {
        ["id"] = c.Id,
        ["email"] = c.Email,
        ["first_name"] = c.FirstName,
        ["last_name"] = c.LastName,
        ["date_created_gmt"] = Date(c.CreatedAt),
        ["date_modified_gmt"] = Date(c.UpdatedAt),
    };
}
