namespace FunctionsSync.Simulator.Faults;

/// <summary>Faults applied to marketplace data endpoints; set by <c>PUT /sim/faults</c> or configuration <c>Simulator:Faults</c>.</summary>
public sealed record SimFaults
{
    /// <summary>Share (0..1) of requests answered 429 with <c>Retry-After</c>.</summary>
    public double RateLimitShare { get; init; }

    /// <summary>Share (0..1) of requests answered 500/502/503.</summary>
    public double ServerErrorShare { get; init; }

    /// <summary>Share (0..1) of requests delayed by <see cref="SlowMs"/>.</summary>
    public double SlowShare { get; init; }

    public int SlowMs { get; init; } = 2_000;

    /// <summary>Retry-After sent with injected 429s, in seconds (fractions allowed, as Shopify sends "2.0").</summary>
    public double RetryAfterSeconds { get; init; } = 1;

    /// <summary>The next N successful data responses are cut off mid-JSON.</summary>
    public int MalformedResponses { get; init; }

    /// <summary>A top-level wire field removed from every Nth record (by index) in data responses.</summary>
    public string? DropField { get; init; }

    public int DropEveryNth { get; init; } = 1;

    /// <summary>Shopify bulk queries started from now on fail after writing this many top-level objects (0: they complete).</summary>
    public int FailBulkAfterObjects { get; init; }

    /// <summary>
    /// Shopify bulk queries started from now on complete with their last this-many top-level objects (and their nested
    /// lines) missing from the file, while <c>objectCount</c> and <c>rootObjectCount</c> count them: a result cut short
    /// without an error, as a dropped slice looks (0: none).
    /// </summary>
    public int DropFromBulkFiles { get; init; }

    /// <summary>The next file download asked for from its start (no Range) is cut off after this many bytes (0: none).</summary>
    public long CutDownloadAtBytes { get; init; }

    /// <summary>Bulk result files download at this pace (bytes a second; 0: as fast as the network): a slow link, so a download is under way for a while.</summary>
    public long DownloadBytesPerSecond { get; init; }

    /// <summary>
    /// The next this-many list pages (WooCommerce orders, products, customers; Etsy receipts, listings) that hold
    /// records leave out their middle record while their total (<c>X-WP-Total</c>, <c>count</c>) counts it: a page
    /// answered short, as a record hidden by a caching layer or a failed join looks (0: none).
    /// </summary>
    public int ShortListPages { get; init; }

    /// <summary>
    /// The next this-many Amazon report documents downloaded end after half their rows, without the gzip trailer, in an
    /// answer that is otherwise whole (200, the chunked body properly ended): a stored object cut short (0: none).
    /// </summary>
    public int CutReportDocuments { get; init; }

    /// <summary>Share (0..1) of change notifications never sent.</summary>
    public double NotificationDropShare { get; init; }

    /// <summary>Share (0..1) of change notifications sent <see cref="NotificationDelayMs"/> late (so they arrive out of order).</summary>
    public double NotificationDelayShare { get; init; }

    public int NotificationDelayMs { get; init; } = 3_000;

    /// <summary>Share (0..1) of change notifications sent twice (the same event, as a retry after a lost answer).</summary>
    public double NotificationDuplicateShare { get; init; }

    /// <summary>Amazon reports requested from now on end FATAL instead of DONE.</summary>
    public bool FailReports { get; init; }

    /// <summary>Seed of the fault dice, so a fault pattern repeats run to run.</summary>
    public long Seed { get; init; } = 7;
}
