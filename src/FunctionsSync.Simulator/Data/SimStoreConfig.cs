namespace FunctionsSync.Simulator.Data;

/// <summary>How a simulated store is set up; <c>PUT /sim/stores/{marketplace}/{storeId}</c> takes this body.</summary>
public sealed record SimStoreConfig
{
    public int Orders { get; init; } = 500;
    public int Products { get; init; } = 200;
    public int Customers { get; init; } = 100;
    public long Seed { get; init; } = 42;

    /// <summary>Most variants a product has (each has 1 to this many); 1 makes every WooCommerce product a simple one.</summary>
    public int MaxVariants { get; init; } = 3;
    public string Currency { get; init; } = "USD";

    /// <summary>
    /// What the adapter must send (accessToken; consumerKey/consumerSecret; apiKey/accessToken). With a
    /// <c>refreshToken</c> (Amazon, Etsy, Shopify) access tokens come from the token endpoint and expire; the app's
    /// <c>clientId</c> (and <c>clientSecret</c>) are then what that endpoint checks.
    /// </summary>
    public Dictionary<string, string> Credentials { get; init; } = [];

    /// <summary>How long an access token from the token endpoint lives, on the simulator's clock (the marketplaces' 3,600 s by default).</summary>
    public double? AccessTokenLifetimeSeconds { get; init; }

    /// <summary>Overrides the marketplace's default limit for this store: bucket size and refill per second.</summary>
    public SimRateLimit? RateLimit { get; init; }

    /// <summary>Overrides the budget of an operation rated on its own (Amazon: createReport, getReport, getReportDocument, getOrderItems).</summary>
    public Dictionary<string, SimRateLimit>? OperationRateLimits { get; init; }

    /// <summary>Amazon getOrderItems: items a page (Amazon pages an order's items with NextToken).</summary>
    public int OrderItemsPerPage { get; init; } = 100;

    /// <summary>How many times a report is polled before it is done (IN_QUEUE, then IN_PROGRESS, then DONE).</summary>
    public int ReportPolls { get; init; } = 2;

    /// <summary>Shopify GraphQL: the plan's restore rate in cost points per second (100, 200, 1,000 or 2,000).</summary>
    public double GraphQlRestoreRate { get; init; } = 100;

    /// <summary>Shopify GraphQL: the bucket's size in points (default twenty seconds of restore, at least the 1,000 one query may cost).</summary>
    public double? GraphQlMaximumAvailable { get; init; }

    /// <summary>Shopify bulk queries: how many polls one stays RUNNING before it completes.</summary>
    public int BulkPolls { get; init; } = 2;

    /// <summary>The longest window (days) one order report may cover: Amazon's 30, or more for a one-report history.</summary>
    public double ReportMaxDays { get; init; } = 30;
}
