using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using FunctionsSync.Simulator.Data;

namespace FunctionsSync.Simulator.Endpoints;

/// <summary>WooCommerce REST v3: orders, products, customers with page/offset paging and X-WP-Total headers.</summary>
internal static class WooCommerceEndpoints
{
    private const int MaxPerPage = 100;

    private static readonly Dialect Dialect = new(
        "woocommerce",
        Authorize,
        () => Results.Json(new { code = "woocommerce_rest_cannot_view", message = "Sorry, you cannot list resources.", data = new { status = 401 } }, statusCode: StatusCodes.Status401Unauthorized),
        (_, _, _) => { },
        () => new { code = "too_many_requests", message = "Too many requests.", data = new { status = 429 } });

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/woocommerce/{storeId}/wp-json/wc/v3/{resource}", (HttpContext http, SimulatorState state, string storeId, string resource) =>
            SimResponder.ServeAsync(http, state, Dialect, storeId, store => List(http, state, store, resource)));

    private static bool Authorize(SimStore store, HttpRequest request)
    {
        var key = store.Config.Credentials.GetValueOrDefault("consumerKey");
        var secret = store.Config.Credentials.GetValueOrDefault("consumerSecret");
        if (key is null || secret is null)
        {
            return false;
        }

        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim())) == $"{key}:{secret}";
            }
            catch (FormatException)
            {
                return false;
            }
        }

        return request.Query["consumer_key"] == key && request.Query["consumer_secret"] == secret;
    }

    private static IResult Invalid(string param) =>
        SimResponder.BadRequest(new { code = "rest_invalid_param", message = $"Invalid parameter(s): {param}", data = new { status = 400, @params = new Dictionary<string, string> { [param] = $"{param} is not valid." } } });

    private static SimResult List(HttpContext http, SimulatorState state, SimStore store, string resource)
    {
        SimKind? kind = resource switch { "orders" => SimKind.Orders, "products" => SimKind.Products, "customers" => SimKind.Customers, _ => null };
        if (kind is null)
        {
            return SimResult.Fail(Results.Json(new { code = "rest_no_route", message = "No route was found matching the URL and request method.", data = new { status = 404 } }, statusCode: 404));
        }

        var q = http.Request.Query;
        var perPage = 10;
        var page = 1;
        var offset = 0;
        if (q.ContainsKey("per_page") && (!int.TryParse(q["per_page"], out perPage) || perPage < 1 || perPage > MaxPerPage))
        {
            return SimResult.Fail(Invalid("per_page"));
        }

        if (q.ContainsKey("page") && (!int.TryParse(q["page"], out page) || page < 1))
        {
            return SimResult.Fail(Invalid("page"));
        }

        if (q.ContainsKey("offset") && (!int.TryParse(q["offset"], out offset) || offset < 0))
        {
            return SimResult.Fail(Invalid("offset"));
        }

        DateTimeOffset? after = null;
        if (q["modified_after"] is { Count: > 0 } raw)
        {
            // The site's timezone is UTC, so dates_are_gmt changes nothing here.
            if (!DateTimeOffset.TryParse(raw.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return SimResult.Fail(Invalid("modified_after"));
            }

            after = parsed;
        }

        var orderBy = q["orderby"].ToString();
        if (orderBy is not ("" or "modified" or "date" or "id"))
        {
            return SimResult.Fail(Invalid("orderby"));
        }

        // Records are served in (modified, id) order; seeded records' ids and dates rise together.
        var query = new FeedQuery(after, MinExclusive: true, null);
        var skip = q.ContainsKey("offset") ? offset : (page - 1) * perPage;
        var total = store.CountMatching(kind.Value, after, true, null);
        http.Response.Headers["X-WP-Total"] = total.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["X-WP-TotalPages"] = ((total + perPage - 1) / perPage).ToString(CultureInfo.InvariantCulture);

        var items = new JsonArray();
        foreach (var at in store.Feed(kind.Value, query).Skip(skip).Take(perPage))
        {
            var record = kind switch
            {
                SimKind.Orders => Order(SimCatalog.Order(store, at)),
                SimKind.Products => Product(SimCatalog.Product(store, at)),
                _ => Customer(SimCatalog.Customer(store, at)),
            };
            items.Add(record.WithFaults(state, at.Index));
        }

        return SimResult.Ok(items);
    }

    private static string Date(DateTimeOffset value) => value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    private static JsonObject Order(SimOrder o)
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

    private static JsonObject Product(SimProduct p)
    {
        var v = p.Variants[0];
        return new JsonObject
        {
            ["id"] = p.Id,
            ["name"] = p.Title,
            ["type"] = "simple",
            ["status"] = p.Status == "active" ? "publish" : "draft",
            ["sku"] = v.Sku,
            ["price"] = SimResponder.Money(v.Price),
            ["regular_price"] = SimResponder.Money(v.CompareAtPrice ?? v.Price),
            ["sale_price"] = v.CompareAtPrice is null ? "" : SimResponder.Money(v.Price),
            ["manage_stock"] = true,
            ["stock_quantity"] = v.Stock,
            ["date_created_gmt"] = Date(p.CreatedAt),
            ["date_modified_gmt"] = Date(p.UpdatedAt),
        };
    }

    private static JsonObject Customer(SimCustomer c) => new()
    {
        ["id"] = c.Id,
        ["email"] = c.Email,
        ["first_name"] = c.FirstName,
        ["last_name"] = c.LastName,
        ["date_created_gmt"] = Date(c.CreatedAt),
        ["date_modified_gmt"] = Date(c.UpdatedAt),
    };
}
