using System.Globalization;
using System.Text.Json.Nodes;
using FunctionsSync.Simulator.Data;

namespace FunctionsSync.Simulator.Endpoints;

/// <summary>Etsy Open API v3: shop receipts (orders) and listings (products), offset paging, per-second and per-day limits.</summary>
internal static class EtsyEndpoints
{
    private const int MaxLimit = 100;
    private const int PerDay = 10_000;

    private static readonly Dialect Dialect = new(
        "etsy",
        (store, request) =>
            store.Config.Credentials.GetValueOrDefault("apiKey") is { } key && request.Headers["x-api-key"] == key
            && request.Headers.Authorization.ToString() is { } bearer && bearer.StartsWith("Bearer ", StringComparison.Ordinal) && store.Tokens.Accepts(bearer[7..]),
        () => Results.Json(new { error = "invalid_token", error_description = "access token is not valid" }, statusCode: StatusCodes.Status401Unauthorized),
        (response, bucket, level) =>
        {
            var perSecond = (int)bucket.Limit.Capacity;
            response.Headers["x-limit-per-second"] = perSecond.ToString(CultureInfo.InvariantCulture);
            response.Headers["x-remaining-this-second"] = Math.Max(0, perSecond - (int)Math.Ceiling(level)).ToString(CultureInfo.InvariantCulture);
            response.Headers["x-limit-per-day"] = PerDay.ToString(CultureInfo.InvariantCulture);
            response.Headers["x-remaining-today"] = (PerDay - 1).ToString(CultureInfo.InvariantCulture);
        },
        () => new { error = "You have exceeded your quota of: 10 requests per second." });

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/etsy/v3/application/shops/{shopId}/receipts", (HttpContext http, SimulatorState state, string shopId) =>
            SimResponder.ServeAsync(http, state, Dialect, shopId, store => Receipts(http, state, store)));
        app.MapGet("/etsy/v3/application/shops/{shopId}/listings", (HttpContext http, SimulatorState state, string shopId) =>
            SimResponder.ServeAsync(http, state, Dialect, shopId, store => Listings(http, state, store)));
    }

    /// <summary>
    /// <c>getListingsByShop</c> as its contract declares it (contracts/etsy/etsy-openapi-v3.json): <c>state</c> (enum,
    /// default <c>active</c>), <c>limit</c> (1–100, default 25), <c>offset</c>; <c>sort_on</c>/<c>sort_order</c> "only
    /// work when combined with one of the search options", which this endpoint has none of, so they change nothing;
    /// any parameter it does not declare (such as <c>min_last_modified</c>) is ignored. Listings come newest first.
    /// </summary>
    private static SimResult Listings(HttpContext http, SimulatorState state, SimStore store)
    {
        if (Paging(http.Request.Query) is not var (limit, offset))
        {
            return SimResult.Fail(SimResponder.BadRequest(new { error = $"Expected int <= {MaxLimit} for limit and int >= 0 for offset" }));
        }

        var wanted = http.Request.Query.ContainsKey("state") ? http.Request.Query["state"].ToString() : "active";
        if (!ListingStates.Contains(wanted))
        {
            return SimResult.Fail(SimResponder.BadRequest(new { error = $"state must be one of {string.Join(", ", ListingStates)}" }));
        }

        var products = store.Count(SimKind.Products);
        var inState = Enumerable.Range(0, products).Reverse().Where(i => store.Exists(SimKind.Products, i) && ListingState(store, i) == wanted);
        var results = new JsonArray();
        foreach (var index in inState.Skip(offset).Take(limit))
        {
            results.Add(Listing(store, SimCatalog.Product(store, store.Current(SimKind.Products, index)), ListingState(store, index)).WithFaults(state, index));
        }

        return SimResult.Ok(new JsonObject { ["count"] = inState.Count(), ["results"] = results.WithPageFaults(state) });
    }

    private static readonly string[] ListingStates = ["active", "inactive", "sold_out", "draft", "expired"];

    /// <summary>A listing's state: the catalog's drafts are drafts; of the rest, a few in each other state.</summary>
    private static string ListingState(SimStore store, int index) =>
        SimCatalog.IsDraft(store, index) ? "draft" : (index % 10) switch { 1 => "inactive", 4 => "sold_out", 7 => "expired", _ => "active" };

    private static (int Limit, int Offset)? Paging(IQueryCollection q)
    {
        var limit = 25;
        var offset = 0;
        if (q.ContainsKey("limit") && (!int.TryParse(q["limit"], out limit) || limit < 1 || limit > MaxLimit))
        {
            return null;
        }

        return q.ContainsKey("offset") && (!int.TryParse(q["offset"], out offset) || offset < 0) ? null : (limit, offset);
    }

    /// <summary><c>getShopReceipts</c>: <c>min_last_modified</c>, sorted by update time (<c>sort_on=updated</c>, ascending).</summary>
    private static SimResult Receipts(HttpContext http, SimulatorState state, SimStore store)
    {
        var q = http.Request.Query;
        if (Paging(q) is not var (limit, offset))
        {
            return SimResult.Fail(SimResponder.BadRequest(new { error = $"Expected int <= {MaxLimit} for limit and int >= 0 for offset" }));
        }

        DateTimeOffset? min = null;
        if (q["min_last_modified"] is { Count: > 0 } raw)
        {
            if (!long.TryParse(raw, out var seconds) || seconds < 0)
            {
                return SimResult.Fail(SimResponder.BadRequest(new { error = "Expected int >= 0 for min_last_modified" }));
            }

            min = DateTimeOffset.FromUnixTimeSeconds(seconds);
        }

        // Served sorted by update time ascending (sort_on=updated&sort_order=asc), the order the adapter asks for.
        var query = new FeedQuery(min, MinExclusive: false, null);
        var results = new JsonArray();
        foreach (var at in store.Feed(SimKind.Orders, query).Skip(offset).Take(limit))
        {
            var record = Receipt(store, SimCatalog.Order(store, at));
            results.Add(record.WithFaults(state, at.Index));
        }

        return SimResult.Ok(new JsonObject { ["count"] = store.CountMatching(SimKind.Orders, min, false, null), ["results"] = results.WithPageFaults(state) });
    }

    /// <summary>Etsy's shop ids are integers; a test store named otherwise keeps its name.</summary>
    private static JsonNode ShopId(SimStore store) =>
        long.TryParse(store.StoreId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? JsonValue.Create(id) : JsonValue.Create(store.StoreId);

    private static JsonObject Money(decimal amount, string currency) => new()
    {
        ["amount"] = (long)(amount * 100), ["divisor"] = 100, ["currency_code"] = currency,
    };

    private static JsonObject Receipt(SimStore store, SimOrder o)
    {
        var transactions = new JsonArray();
        foreach (var l in o.Lines)
        {
            transactions.Add(new JsonObject
            {
                ["transaction_id"] = l.Id, ["listing_id"] = l.ProductId, ["sku"] = l.Sku, ["quantity"] = l.Quantity, ["price"] = Money(l.Price, o.Currency),
            });
        }

        return new JsonObject
        {
            ["receipt_id"] = o.Id,
            ["shop_id"] = ShopId(store),
            ["buyer_email"] = o.Email,
            ["buyer_user_id"] = o.CustomerId ?? 1, // an Etsy user id, never null in the contract
            // ShopReceipt.status's enum (contracts/etsy/etsy-openapi-v3.json) is lower case.
            ["status"] = o.Status switch { "paid" => "paid", "pending" => "open", "refunded" => "fully refunded", "partially_refunded" => "partially refunded", _ => "completed" },
            ["grandtotal"] = Money(o.Total, o.Currency),
            ["create_timestamp"] = o.CreatedAt.ToUnixTimeSeconds(),
            ["created_timestamp"] = o.CreatedAt.ToUnixTimeSeconds(),
            ["update_timestamp"] = o.UpdatedAt.ToUnixTimeSeconds(),
            ["updated_timestamp"] = o.UpdatedAt.ToUnixTimeSeconds(),
            ["transactions"] = transactions,
        };
    }

    private static JsonObject Listing(SimStore store, SimProduct p, string listingState)
    {
        var v = p.Variants[0];
        return new JsonObject
        {
            ["listing_id"] = p.Id,
            ["shop_id"] = ShopId(store),
            ["title"] = p.Title,
            ["state"] = listingState,
            ["quantity"] = v.Stock,
            ["skus"] = new JsonArray(v.Sku),
            ["price"] = Money(v.Price, store.Config.Currency),
            ["creation_timestamp"] = p.CreatedAt.ToUnixTimeSeconds(),
            ["last_modified_timestamp"] = p.UpdatedAt.ToUnixTimeSeconds(),
            ["updated_timestamp"] = p.UpdatedAt.ToUnixTimeSeconds(),
        };
    }
}
