using System.ComponentModel.DataAnnotations;

namespace FunctionsSync.Marketplaces.Shopify;

/// <summary>How the Shopify adapter speaks GraphQL and runs bulk queries (<c>Marketplaces:Shopify</c>).</summary>
public sealed class ShopifyOptions
{
    public const string SectionName = "Marketplaces:Shopify";

    /// <summary>
    /// The Admin API version of GraphQL (and legacy REST) calls, unless a connection sets <c>apiVersion</c>. 2026-01:
    /// the version whose schema the contract tests check the adapter's documents against
    /// (contracts/shopify/admin_2026-01.json.gz); Shopify serves each version for twelve months.
    /// </summary>
    [Required]
    public string ApiVersion { get; set; } = "2026-01";

    /// <summary>The first wait between polls of a bulk query; each wait is half again the last, up to the maximum.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan BulkPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    [Range(typeof(TimeSpan), "00:00:00.010", "00:30:00")]
    public TimeSpan MaxBulkPollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one page request waits on a bulk query before it answers "not yet".</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan MaxWaitPerPage { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Bulk queries a run keeps running at once for one shop: the feed being read and those started ahead for the
    /// run's later feeds. Unset: Shopify's limit for the connection's API version, five from 2026-01 and one before
    /// (the bulk operations guide, shopify.dev/docs/api/usage/bulk-operations/queries). One turns starting ahead off.
    /// </summary>
    [Range(1, 5)]
    public int? MaxConcurrentBulkQueries { get; set; }

    /// <summary>A bulk query still running after this long is cancelled and the feed read with paged queries instead.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan BulkTimeout { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Broken downloads of one result file resumed in a row (each from where the last stopped) before the run fails.</summary>
    [Range(1, 100)]
    public int MaxDownloadAttempts { get; set; } = 5;

    /// <summary>Objects read through one cursor before a paged feed starts a new <c>updated_at</c> window (Shopify stops cursors at 25,000).</summary>
    [Range(100, 25_000)]
    public int WindowObjects { get; set; } = 20_000;

    /// <summary>Where bulk result files are kept while read; each deleted once read.</summary>
    public string Directory { get; set; } = Path.Combine(Path.GetTempPath(), "functionssync", "shopify-bulk");

    [Range(typeof(TimeSpan), "00:10:00", "30.00:00:00")]
    public TimeSpan AbandonedFileAge { get; set; } = TimeSpan.FromDays(2);
}
