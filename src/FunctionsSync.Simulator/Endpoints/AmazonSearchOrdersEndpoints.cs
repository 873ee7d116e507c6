using System.Globalization;
using System.Text.Json.Nodes;
using FunctionsSync.Simulator.Data;

namespace FunctionsSync.Simulator.Endpoints;

/// <summary>
/// Amazon SP-API Orders <c>2026-01-01</c> <c>searchOrders</c> as contracts/amazon/orders_2026-01-01.json declares it:
/// exactly one of <c>createdAfter</c> and <c>lastUpdatedAfter</c> (with their own <c>…Before</c> only), ISO 8601
/// dates, <c>maxResultsPerPage</c> 1–100 (default 100), array parameters comma-separated with values inside their
/// enums (<c>includedData</c>, <c>fulfillmentStatuses</c>, <c>fulfilledBy</c>), at most 50 <c>marketplaceIds</c>,
/// <c>paginationToken</c> for the next page (valid 24 hours). Orders always carry <c>orderItems</c>; <c>proceeds</c>
/// and <c>fulfillment</c> only when <c>includedData</c> names them. Its own budget: 0.0056 requests/s, burst 20. And
/// <c>getOrder</c>, one order by id.
/// </summary>
internal static class AmazonSearchOrdersEndpoints
{
    public const string Operation = "searchOrders";
    private const int MaxPerPage = 100;

    private static readonly string[] IncludedData = ["BUYER", "RECIPIENT", "PROCEEDS", "EXPENSE", "PROMOTION", "CANCELLATION", "FULFILLMENT", "PACKAGES", "TAX", "PAYMENT", "FULFILLMENT_ORDERS"];
    private static readonly string[] FulfillmentStatuses = ["PENDING_AVAILABILITY", "PENDING", "UNSHIPPED", "PARTIALLY_SHIPPED", "SHIPPED", "CANCELLED", "UNFULFILLABLE"];
    private static readonly string[] FulfilledBy = ["MERCHANT", "AMAZON"];
    private static readonly TimeSpan TokenLife = TimeSpan.FromHours(24);

    public const string GetOperation = "getOrder";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/amazon/{storeId}/orders/2026-01-01/orders", (HttpContext http, SimulatorState state, string storeId) =>
            SimResponder.ServeAsync(http, state, AmazonEndpoints.Dialect, storeId, store => Search(http, state, store), Operation));
        app.MapGet("/amazon/{storeId}/orders/2026-01-01/orders/{orderId}", (HttpContext http, SimulatorState state, string storeId, string orderId) =>
            SimResponder.ServeAsync(http, state, AmazonEndpoints.Dialect, storeId, store => Get(http, state, store, orderId), GetOperation));
    }

    /// <summary>
    /// <c>getOrder</c>: the order as it stands now (<c>{"order": …}</c>, the same shape as a searchOrders entry), or 404
    /// with an ErrorList for an order the seller does not have; its own budget, 0.5 requests/s, burst 30.
    /// </summary>
    private static SimResult Get(HttpContext http, SimulatorState state, SimStore store, string orderId)
    {
        if (List(http.Request.Query, "includedData") is { } values && values.FirstOrDefault(v => !IncludedData.Contains(v)) is { } bad)
        {
            return SimResult.Fail(Invalid($"includedData has an invalid value '{bad}'."));
        }

        if (!SimCatalog.TryAmazonIndex(orderId, store.Config.Orders, out var index) || !store.Exists(SimKind.Orders, index))
        {
            return SimResult.Fail(Results.Json(new { errors = new[] { new { code = "NotFound", message = $"Order {orderId} was not found." } } }, statusCode: StatusCodes.Status404NotFound));
        }

        var at = store.Current(SimKind.Orders, index);
        var order = Order(store, SimCatalog.Order(store, at), index, List(http.Request.Query, "includedData") ?? []).WithFaults(state, index);
        return SimResult.Ok(new JsonObject { ["order"] = order });
    }

    private static IResult Invalid(string message) => SimResponder.BadRequest(new { errors = new[] { new { code = "InvalidInput", message } } });

    private static SimResult Search(HttpContext http, SimulatorState state, SimStore store)
    {
        var q = http.Request.Query;
        var now = state.Time.GetUtcNow();
        if (List(q, "marketplaceIds") is not { Length: > 0 and <= 50 })
        {
            return SimResult.Fail(Invalid("marketplaceIds is required (at most 50)."));
        }

        foreach (var (name, allowed) in new[] { ("includedData", IncludedData), ("fulfillmentStatuses", FulfillmentStatuses), ("fulfilledBy", FulfilledBy) })
        {
            if (List(q, name) is { } values && values.FirstOrDefault(v => !allowed.Contains(v)) is { } bad)
            {
                return SimResult.Fail(Invalid($"{name} has an invalid value '{bad}'."));
            }
        }

        var created = q.ContainsKey("createdAfter") || q.ContainsKey("createdBefore");
        var updated = q.ContainsKey("lastUpdatedAfter") || q.ContainsKey("lastUpdatedBefore");
        if (created == updated || !q.ContainsKey(created ? "createdAfter" : "lastUpdatedAfter"))
        {
            return SimResult.Fail(Invalid("Exactly one of createdAfter and lastUpdatedAfter must be provided, with only its own Before."));
        }

        if (created)
        {
            // The simulator serves the change-time window only; a creation-time search is valid but not modelled.
            return SimResult.Fail(Invalid("createdAfter searches are not served by this simulator."));
        }

        if (!AmazonEndpoints.TryDate(q["lastUpdatedAfter"], out var after) || after is null || !AmazonEndpoints.TryDate(q["lastUpdatedBefore"], out var before))
        {
            return SimResult.Fail(Invalid("lastUpdatedAfter and lastUpdatedBefore must be ISO 8601 dates."));
        }

        var perPage = MaxPerPage;
        if (q.ContainsKey("maxResultsPerPage") && (!int.TryParse(q["maxResultsPerPage"], NumberStyles.None, CultureInfo.InvariantCulture, out perPage) || perPage is < 1 or > MaxPerPage))
        {
            return SimResult.Fail(Invalid($"maxResultsPerPage must be between 1 and {MaxPerPage}."));
        }

        var query = new FeedQuery(after, MinExclusive: false, before ?? now.AddMinutes(-2));
        if (q["paginationToken"] is { Count: > 0 } token)
        {
            // The token holds the keyset position and when it was issued; it lapses after 24 hours.
            var text = token.ToString();
            var dot = text.LastIndexOf('.');
            if (dot < 0 || !FeedToken.TryDecode(text[..dot], out var position) || !long.TryParse(text[(dot + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var issued)
                || now - DateTimeOffset.FromUnixTimeSeconds(issued) > TokenLife)
            {
                return SimResult.Fail(Invalid("paginationToken is invalid or has expired."));
            }

            query = position;
        }

        var included = List(q, "includedData") ?? [];
        var page = store.Feed(SimKind.Orders, query).Take(perPage + 1).ToList();
        var orders = new JsonArray();
        foreach (var at in page.Take(perPage))
        {
            orders.Add(Order(store, SimCatalog.Order(store, at), at.Index, included).WithFaults(state, at.Index));
        }

        var answer = new JsonObject { ["orders"] = orders, ["lastUpdatedBefore"] = AmazonEndpoints.Date(query.Max ?? now.AddMinutes(-2)) };
        if (page.Count > perPage)
        {
            answer["pagination"] = new JsonObject
            {
                ["nextToken"] = $"{FeedToken.Encode(query, page[perPage - 1])}.{now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}",
            };
        }

        return SimResult.Ok(answer);
    }

    /// <summary>An order as searchOrders returns it: the catalog's lines at their unit prices, the order's grand total.</summary>
    private static JsonObject Order(SimStore store, SimOrder o, int index, string[] included)
    {
        var items = new JsonArray();
        for (var i = 0; i < o.Lines.Count; i++)
        {
            var line = o.Lines[i];
            items.Add(new JsonObject
            {
                ["orderItemId"] = line.Id.ToString(CultureInfo.InvariantCulture),
                ["quantityOrdered"] = line.Quantity,
                ["product"] = new JsonObject
                {
                    ["asin"] = SimCatalog.AmazonAsin(line.ProductId),
                    ["title"] = $"Product {line.ProductId}",
                    ["sellerSku"] = line.Sku,
                    ["price"] = new JsonObject { ["unitPrice"] = Money(o.Currency, line.Price) },
                },
            });
        }

        var order = new JsonObject
        {
            ["orderId"] = SimCatalog.AmazonOrderId(index),
            ["createdTime"] = AmazonEndpoints.Date(o.CreatedAt),
            ["lastUpdatedTime"] = AmazonEndpoints.Date(o.UpdatedAt),
            ["salesChannel"] = new JsonObject { ["channelName"] = "AMAZON", ["marketplaceId"] = AmazonEndpoints.MarketplaceId, ["marketplaceName"] = "Amazon.com" },
            ["orderItems"] = items,
        };
        if (included.Contains("PROCEEDS"))
        {
            order["proceeds"] = new JsonObject { ["grandTotal"] = Money(o.Currency, o.Total) };
        }

        if (included.Contains("FULFILLMENT"))
        {
            order["fulfillment"] = new JsonObject
            {
                ["fulfillmentStatus"] = AmazonEndpoints.Status(o) switch { "Unshipped" => "UNSHIPPED", "Pending" => "PENDING", "Canceled" => "CANCELLED", _ => "SHIPPED" },
                ["fulfilledBy"] = "MERCHANT",
            };
        }

        if (included.Contains("BUYER"))
        {
            order["buyer"] = new JsonObject { ["buyerEmail"] = o.Email };
        }

        return order;
    }

    /// <summary>An array parameter, comma-separated (Swagger 2.0's default <c>csv</c>); null when absent.</summary>
    private static string[]? List(IQueryCollection q, string name) =>
        q.ContainsKey(name) ? q[name].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : null;

    private static JsonObject Money(string currency, decimal amount) => new() { ["amount"] = SimResponder.Money(amount), ["currencyCode"] = currency };
}
