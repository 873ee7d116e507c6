using System.Globalization;
using System.Text.Json.Nodes;
using FunctionsSync.Simulator.Data;

namespace FunctionsSync.Simulator.Endpoints;

/// <summary>Shopify Admin REST (the subset FunctionsSync reads): orders, products, customers, their counts.</summary>
internal static class ShopifyEndpoints
{
    private const int MaxLimit = 250;

    internal static readonly Dialect Dialect = new(
        "shopify",
        (store, request) => store.Tokens.Accepts(request.Headers["X-Shopify-Access-Token"]),
        () => Results.Json(new { errors = "[API] Invalid API key or access token (unrecognized login or wrong password)" }, statusCode: StatusCodes.Status401Unauthorized),
        (response, bucket, level) => response.Headers["X-Shopify-Shop-Api-Call-Limit"] = $"{(int)Math.Ceiling(level)}/{(int)bucket.Limit.Capacity}",
        () => new { errors = "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service." });

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/shopify/{storeId}/admin/api/{version}/{resource}.json", (HttpContext http, SimulatorState state, string storeId, string resource) =>
            SimResponder.ServeAsync(http, state, Dialect, storeId, store => List(http, state, store, resource)));
        app.MapGet("/shopify/{storeId}/admin/api/{version}/{resource}/count.json", (HttpContext http, SimulatorState state, string storeId, string resource) =>
            SimResponder.ServeAsync(http, state, Dialect, storeId, store => Count(http, store, resource)));
    }

    private static SimKind? KindOf(string resource) => resource switch
    {
        "orders" => SimKind.Orders,
        "products" => SimKind.Products,
        "customers" => SimKind.Customers,
        _ => null,
    };

    private static SimResult Count(HttpContext http, SimStore store, string resource)
    {
        if (KindOf(resource) is not { } kind)
        {
            return SimResult.Fail(Results.Json(new { errors = "Not Found" }, statusCode: 404));
        }

        if (!TryDate(http.Request.Query["updated_at_min"], out var min))
        {
            return SimResult.Fail(SimResponder.BadRequest(new { errors = new { updated_at_min = new[] { "is invalid" } } }));
        }

        return SimResult.Ok(new JsonObject { ["count"] = store.CountMatching(kind, min, false, null) });
    }

    private static SimResult List(HttpContext http, SimulatorState state, SimStore store, string resource)
    {
        if (KindOf(resource) is not { } kind)
        {
            return SimResult.Fail(Results.Json(new { errors = "Not Found" }, statusCode: 404));
        }

        var q = http.Request.Query;
        var limit = 50;
        if (q.ContainsKey("limit") && (!int.TryParse(q["limit"], out limit) || limit < 1 || limit > MaxLimit))
        {
            return SimResult.Fail(SimResponder.BadRequest(new { errors = new { limit = new[] { $"must be between 1 and {MaxLimit}" } } }));
        }

        FeedQuery query;
        if (q["page_info"] is { Count: > 0 } pageInfo)
        {
            // As on Shopify, a page_info request carries no other filter: the cursor holds them.
            if (q.ContainsKey("updated_at_min"))
            {
                return SimResult.Fail(SimResponder.BadRequest(new { errors = new { page_info = new[] { "cannot be combined with other filters" } } }));
            }

            if (!FeedToken.TryDecode(pageInfo.ToString(), out query))
            {
                return SimResult.Fail(SimResponder.BadRequest(new { errors = new { page_info = new[] { "Invalid value." } } }));
            }
        }
        else if (TryDate(q["updated_at_min"], out var min))
        {
            query = new FeedQuery(min, false, null);
        }
        else
        {
            return SimResult.Fail(SimResponder.BadRequest(new { errors = new { updated_at_min = new[] { "is invalid" } } }));
        }

        var page = store.Feed(kind, query).Take(limit + 1).ToList();
        var items = new JsonArray();
        foreach (var at in page.Take(limit))
        {
            items.Add(Render(store, kind, at).WithFaults(state, at.Index));
        }

        if (page.Count > limit)
        {
            var next = FeedToken.Encode(query, page[limit - 1]);
            var url = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.Path}?limit={limit}&page_info={next}";
            http.Response.Headers.Link = $"<{url}>; rel=\"next\"";
        }

        return SimResult.Ok(new JsonObject { [resource] = items });
    }

    private static bool TryDate(string? value, out DateTimeOffset? date)
    {
        date = null;
        if (string.IsNullOrEmpty(value))
        {
            return true;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            date = parsed;
            return true;
        }

        return false;
    }

    private static string Date(DateTimeOffset value) => value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture);

    private static JsonObject Render(SimStore store, SimKind kind, SimRef at) => kind switch
    {
        SimKind.Orders => Order(SimCatalog.Order(store, at)),
        SimKind.Products => Product(SimCatalog.Product(store, at)),
        _ => Customer(SimCatalog.Customer(store, at)),
    };

    private static JsonObject Order(SimOrder o)
    {
        var lines = new JsonArray();
        foreach (var l in o.Lines)
        {
            lines.Add(new JsonObject
            {
                ["id"] = l.Id, ["product_id"] = l.ProductId, ["sku"] = l.Sku, ["quantity"] = l.Quantity, ["price"] = SimResponder.Money(l.Price),
            });
        }

        return new JsonObject
        {
            ["id"] = o.Id,
            ["name"] = $"#{o.Number}",
            ["order_number"] = o.Number,
            ["email"] = o.Email,
            ["created_at"] = Date(o.CreatedAt),
            ["updated_at"] = Date(o.UpdatedAt),
            ["currency"] = o.Currency,
            ["total_price"] = SimResponder.Money(o.Total),
            ["financial_status"] = o.Status,
            ["customer"] = o.CustomerId is { } c ? new JsonObject { ["id"] = c } : null,
            ["line_items"] = lines,
        };
    }

    private static JsonObject Product(SimProduct p)
    {
        var variants = new JsonArray();
        foreach (var v in p.Variants)
        {
            variants.Add(new JsonObject
            {
                ["id"] = v.Id,
                ["product_id"] = p.Id,
                ["sku"] = v.Sku,
                ["price"] = SimResponder.Money(v.Price),
                ["compare_at_price"] = v.CompareAtPrice is { } c ? SimResponder.Money(c) : null,
                ["inventory_quantity"] = v.Stock,
                ["inventory_item_id"] = v.Id + 1,
            });
        }

        return new JsonObject
        {
            ["id"] = p.Id,
            ["title"] = p.Title,
            ["status"] = p.Status,
            ["created_at"] = Date(p.CreatedAt),
            ["updated_at"] = Date(p.UpdatedAt),
            ["variants"] = variants,
        };
    }

    private static JsonObject Customer(SimCustomer c) => new()
    {
        ["id"] = c.Id,
        ["email"] = c.Email,
        ["first_name"] = c.FirstName,
        ["last_name"] = c.LastName,
        ["orders_count"] = c.OrdersCount,
        ["created_at"] = Date(c.CreatedAt),
        ["updated_at"] = Date(c.UpdatedAt),
    };
}
