using FunctionsSync.Core.Records;

namespace FunctionsSync.Core.Notifications;

/// <summary>
/// A change notification whose sender was verified: what it is about, never what it says the record is (the run it
/// asks for reads the record from the marketplace).
/// </summary>
/// <param name="EventId">The marketplace's stable id of the change, for deduplication (null: none stable).</param>
/// <param name="Topic">The marketplace's topic, e.g. <c>orders/updated</c> or <c>order.updated</c>.</param>
/// <param name="EntityTypes">The feeds the change concerns; empty when the topic names none this service reads.</param>
public sealed record MarketplaceNotification(string? EventId, string Topic, IReadOnlyList<EntityType> EntityTypes)
{
    /// <summary>How long after the notification its run starts (the marketplace lists the change only later: Amazon).</summary>
    public TimeSpan RunDelay { get; init; }

    /// <summary>
    /// The ids the notification names, as the feeds' by-id reads take them (an order's, a product's for its prices too;
    /// a variation's parent product), read by <see cref="Feeds"/>; empty when it names none (an inventory level).
    /// </summary>
    public IReadOnlyList<string> Named { get; init; } = [];

    /// <summary>What a run reads for this notification: each feed's named records, or the feed from its mark.</summary>
    public IReadOnlyList<Runs.RunTarget> Feeds => [.. EntityTypes.Select(t => new Runs.RunTarget(t, Named.Count > 0 ? Named : null))];

    /// <summary>The record a deletion notification names (WooCommerce's <c>*.deleted</c>), to be checked with the marketplace.</summary>
    public (EntityType Type, string Id)? Deleted { get; init; }
}
