using System.ComponentModel.DataAnnotations;

namespace FunctionsSync.Core.Notifications;

/// <summary>Bound from configuration section <c>Notifications</c>.</summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Notifications";

    /// <summary>
    /// How long after an Amazon <c>ORDER_CHANGE</c> its run starts: SP-API lists an order change only once it is two
    /// minutes old (<c>lastUpdatedBefore</c> "must be no later than two minutes before" the request), so a run started
    /// at once would read past it. Notifications arriving meanwhile join that run.
    /// </summary>
    /// <remarks>Applies to runs that read the orders feed; a run reading just the notified order by id starts at once.</remarks>
    [Range(typeof(TimeSpan), "00:00:00", "00:30:00")]
    public TimeSpan AmazonVisibilityDelay { get; set; } = TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(10);

    /// <summary>
    /// How many records of one feed a notified run reads by id; notifications that name more coalesce into a read of the
    /// feed from its mark, which costs less than that many by-id reads.
    /// </summary>
    [Range(1, 1000)]
    public int MaxTargetedRecords { get; set; } = 100;
}
