using System.ComponentModel.DataAnnotations;

namespace FunctionsSync.Marketplaces.Amazon;

/// <summary>How the Amazon adapter reads a seller's order history from reports and orders' items (<c>Marketplaces:Amazon</c>).</summary>
public sealed class AmazonOptions
{
    public const string SectionName = "Marketplaces:Amazon";

    /// <summary>The first wait between polls of a report being made; each wait is half again the last, up to the maximum.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:00.010", "00:30:00")]
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one page request may wait on a report before it answers "not yet" (the run checkpoints, can be paused, and asks again).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan MaxWaitPerPage { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Where downloaded report documents are kept (decompressed) while a run reads them; each is deleted once read.</summary>
    public string Directory { get; set; } = Path.Combine(Path.GetTempPath(), "functionssync", "amazon-reports");

    /// <summary>Files left behind by a run that never finished are deleted after this long.</summary>
    [Range(typeof(TimeSpan), "00:10:00", "30.00:00:00")]
    public TimeSpan AbandonedFileAge { get; set; } = TimeSpan.FromDays(2);

    /// <summary>
    /// getOrders' page size while each order's items are read too. A run renews its lease once a page, and getOrderItems
    /// serves 30 orders a minute (0.5 requests/s, burst 30): a 100-order page would outlast a two-minute lease.
    /// </summary>
    [Range(1, AmazonOrdersApi.MaxPageSize)]
    public int OrdersPerPageWithItems { get; set; } = 30;
}
