using System.Text.RegularExpressions;

namespace FunctionsSync.Core.Connections.Settings;

/// <summary>Settings every adapter reads the same way; each adapter lists the ones it uses in its <see cref="ConnectionRequirements"/>.</summary>
public static partial class CommonSettings
{
    /// <summary>
    /// Where the adapter sends requests instead of the marketplace's own endpoint (the simulator, a proxy; a shop's own
    /// site for WooCommerce). The outbound policy checks the address as well (<see cref="ConnectionValidation"/>).
    /// </summary>
    public static TextSetting BaseUrl { get; } = new("baseUrl", "An absolute http or https URL.", AbsoluteUrl());

    /// <summary>The connection's own request budget, overriding its marketplace's published shape (<c>Marketplaces:RateLimits</c>).</summary>
    public static NumberSetting RateLimitPerSecond { get; } = new("rateLimitPerSecond", 0.01, 1000);

    public static NumberSetting RateLimitCapacity { get; } = new("rateLimitCapacity", 1, 10_000);

    /// <summary>The currency of prices a marketplace sends without one (ISO 4217).</summary>
    public static TextSetting Currency { get; } = new("currency", "An ISO 4217 currency code in capitals, e.g. EUR.", CurrencyCode(), "USD");

    /// <summary>
    /// Records asked for per request, up to what the marketplace's API allows (<paramref name="max"/>): what is accepted
    /// is what is sent. Absent, the sync asks for <c>Sync:PageSize</c> and the adapter clamps it to its maximum.
    /// <c>batchSize</c> is its older name.
    /// </summary>
    public static WholeNumberSetting PageSize(int max) => new("pageSize", 1, max) { Aliases = ["batchSize"] };

    /// <summary>
    /// The freshness objective, in minutes: when the lag within which 95 % of a run's changes were stored exceeds it for
    /// an entity type, the connection turns stale (<c>connection.stale</c>), and fresh again (<c>connection.fresh</c>)
    /// once a run's changes are back within it. Absent: no objective.
    /// </summary>
    public static WholeNumberSetting FreshnessObjectiveMinutes { get; } = new("freshnessObjectiveMinutes", 1, 10_080);

    /// <summary>
    /// The connection's own full-sync schedule (a cron expression, seconds first, UTC; e.g. <c>0 0 2 * * *</c> nightly):
    /// the first scheduled cycle after each occurrence runs the connection in full (a catalogue's nightly re-read, with
    /// its reconciliation), whether or not its interval has elapsed; the cycles between run it incrementally.
    /// </summary>
    public static CronSetting FullSyncCron { get; } = new("fullSyncCron", "A cron expression of six fields (seconds first, UTC), e.g. 0 0 2 * * *.");

    [GeneratedRegex(@"\Ahttps?://[^\s]+\z", RegexOptions.IgnoreCase)]
    private static partial Regex AbsoluteUrl();

    [GeneratedRegex(@"\A[A-Z]{3}\z")]
    private static partial Regex CurrencyCode();
}
