using System.Globalization;
using System.Text.Json.Nodes;
using FunctionsSync.Simulator.Data;

namespace FunctionsSync.Simulator.Endpoints;

/// <summary>
/// Amazon SP-API Orders v0: getOrders (LastUpdatedAfter/Before, MaxResultsPerPage, NextToken) and getOrderItems (an
/// order's items, <see cref="SimStoreConfig.OrderItemsPerPage"/> a page, on its own budget); the reports:
/// <see cref="AmazonReportEndpoints"/>.
/// </summary>
internal static class AmazonEndpoints
{
    private const int MaxPerPage = 100;
    internal const string MarketplaceId = "ATVPDKIKX0DER";

    internal static readonly Dialect Dialect = new(
        "amazon",
        (store, request) => store.Tokens.Accepts(request.Headers["x-amz-access-token"]),
        () => Results.Json(Errors("Unauthorized", "Access to requested resource is denied."), statusCode: StatusCodes.Status403Forbidden),
        (response, bucket, _) => response.Headers["x-amzn-RateLimit-Limit"] = bucket.Limit.PerSecond.ToString("0.####", CultureInfo.InvariantCulture),
        () => Errors("QuotaExceeded", "You exceeded your quota for the requested resource."));

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/amazon/{storeId}/orders/v0/orders", (HttpContext http, SimulatorState state, string storeId) =>
            SimResponder.ServeAsync(http, state, Dialect, storeId, store => List(http, state, store)));
        app.MapGet("/amazon/{storeId}/orders/v0/orders/{orderId}/orderItems", (HttpContext http, SimulatorState state, string storeId, string orderId) =>
            SimResponder.ServeAsync(http, state, Dialect, storeId, store => Items(http, store, orderId), "getOrderItems"));
    }

    private static object Errors(string code, string message) => new { errors = new[] { new { code, message } } };

    private static IResult Invalid(string message) => SimResponder.BadRequest(Errors("InvalidInput", message));

    private static SimResult List(HttpContext http, SimulatorState state, SimStore store)
    {
        var q = http.Request.Query;
        if (string.IsNullOrEmpty(q["MarketplaceIds"]))
        {
            return SimResult.Fail(Invalid("MarketplaceIds is required."));
        }

        var perPage = MaxPerPage;
        if (q.ContainsKey("MaxResultsPerPage") && (!int.TryParse(q["MaxResultsPerPage"], out perPage) || perPage < 1 || perPage > MaxPerPage))
        {
            return SimResult.Fail(Invalid($"MaxResultsPerPage must be between 1 and {MaxPerPage}."));
        }

        var now = state.Time.GetUtcNow();
        FeedQuery query;
        if (q["NextToken"] is { Count: > 0 } token)
        {
            // The token carries the first request's page size: later pages keep it, as Amazon's do.
            var text = token.ToString();
            var dot = text.LastIndexOf('.');
            if (dot < 0 || !FeedToken.TryDecode(text[..dot], out query) || !int.TryParse(text[(dot + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var carried)
                || carried < 1 || carried > MaxPerPage)
            {
                return SimResult.Fail(Invalid("Invalid NextToken."));
            }

            perPage = q.ContainsKey("MaxResultsPerPage") ? perPage : carried;
        }
        else
        {
            if (!TryDate(q["LastUpdatedAfter"], out var after) || after is null)
            {
                return SimResult.Fail(Invalid("LastUpdatedAfter is required and must be an ISO 8601 date."));
            }

            if (!TryDate(q["LastUpdatedBefore"], out var before))
            {
                return SimResult.Fail(Invalid("LastUpdatedBefore must be an ISO 8601 date."));
            }

            if (before is { } b && b > now.AddMinutes(-2))
            {
                return SimResult.Fail(Invalid("LastUpdatedBefore must be no later than two minutes before the time that the request was submitted."));
            }

            query = new FeedQuery(after, MinExclusive: false, before ?? now.AddMinutes(-2));
        }

        var page = store.Feed(SimKind.Orders, query).Take(perPage + 1).ToList();
        var orders = new JsonArray();
        foreach (var at in page.Take(perPage))
        {
            orders.Add(Order(store, SimCatalog.Order(store, at), at.Index).WithFaults(state, at.Index));
        }

        var payload = new JsonObject
        {
            ["Orders"] = orders,
            ["LastUpdatedBefore"] = Date(query.Max ?? now.AddMinutes(-2)),
        };
        if (page.Count > perPage)
        {
            payload["NextToken"] = $"{FeedToken.Encode(query, page[perPage - 1])}.{perPage.ToString(CultureInfo.InvariantCulture)}";
        }

        return SimResult.Ok(new JsonObject { ["payload"] = payload });
    }

    private static SimResult Items(HttpContext http, SimStore store, string orderId)
    {
        if (!SimCatalog.TryAmazonIndex(orderId, store.Config.Orders, out var index))
        {
            return SimResult.Fail(Results.Json(Errors("NotFound", $"Order {orderId} was not found."), statusCode: StatusCodes.Status404NotFound));
        }

        // The token is the position of the next item: an order's items do not change order between pages.
        var start = 0;
        if (http.Request.Query["NextToken"] is { Count: > 0 } token && (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out start) || start <= 0))
        {
            return SimResult.Fail(Invalid("Invalid NextToken."));
        }

        var order = SimCatalog.Order(store, store.Current(SimKind.Orders, index));
        var perPage = Math.Max(1, store.Config.OrderItemsPerPage);
        var extra = Adjustment(order);
        var items = new JsonArray();
        for (var i = start; i < Math.Min(order.Lines.Count, start + perPage); i++)
        {
            var line = order.Lines[i];
            items.Add(new JsonObject
            {
                ["ASIN"] = SimCatalog.AmazonAsin(line.ProductId),
                ["SellerSKU"] = line.Sku,
                ["OrderItemId"] = line.Id.ToString(CultureInfo.InvariantCulture),
                ["Title"] = $"Product {line.ProductId}",
                ["QuantityOrdered"] = line.Quantity,
                ["QuantityShipped"] = 0,
                // ItemPrice is the price of the item times the quantity ordered.
                ["ItemPrice"] = Money(order.Currency, line.Quantity * line.Price),
                ["ShippingPrice"] = Money(order.Currency, i == 0 ? extra : 0),
                ["ItemTax"] = Money(order.Currency, 0),
            });
        }

        var payload = new JsonObject { ["AmazonOrderId"] = orderId, ["OrderItems"] = items };
        if (start + perPage < order.Lines.Count)
        {
            payload["NextToken"] = (start + perPage).ToString(CultureInfo.InvariantCulture);
        }

        return SimResult.Ok(new JsonObject { ["payload"] = payload });
    }

    /// <summary>
    /// The order's charges beyond its items (the adjustments its edits made): getOrderItems and the report both carry
    /// them as the first item's shipping.
    /// </summary>
    internal static decimal Adjustment(SimOrder order) => order.Total - order.Lines.Sum(l => l.Quantity * l.Price);

    private static JsonObject Money(string currency, decimal amount) => new() { ["CurrencyCode"] = currency, ["Amount"] = SimResponder.Money(amount) };

    internal static bool TryDate(string? value, out DateTimeOffset? date)
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

    internal static string Date(DateTimeOffset value) => value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The order's status as Amazon words it, in getOrders and in the order reports alike.</summary>
    internal static string Status(SimOrder o) => o.Status switch { "paid" => "Unshipped", "pending" => "Pending", "refunded" => "Canceled", _ => "Shipped" };

    private static JsonObject Order(SimStore store, SimOrder o, int index) => new()
    {
        ["AmazonOrderId"] = SimCatalog.AmazonOrderId(index),
        ["PurchaseDate"] = Date(o.CreatedAt),
        ["LastUpdateDate"] = Date(o.UpdatedAt),
        ["OrderStatus"] = Status(o),
        ["MarketplaceId"] = MarketplaceId,
        ["OrderTotal"] = new JsonObject { ["CurrencyCode"] = o.Currency, ["Amount"] = SimResponder.Money(o.Total) },
        ["NumberOfItemsShipped"] = 0,
        ["NumberOfItemsUnshipped"] = o.Lines.Sum(l => l.Quantity),
        ["BuyerInfo"] = new JsonObject { ["BuyerEmail"] = o.Email },
        ["SalesChannel"] = $"Amazon.com ({store.StoreId})",
    };
}
