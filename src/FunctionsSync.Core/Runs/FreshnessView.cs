namespace FunctionsSync.Core.Runs;

/// <summary>
/// How fresh an entity type's changes were stored: the changes counted (records changed at the marketplace since the
/// feed's last mark, as incremental runs stored them) and the lag within which half and 95 % of them landed, in seconds
/// (a histogram bucket's upper bound, so never understated).
/// </summary>
public sealed record FreshnessView(string EntityType, long Changes, double P50Seconds, double P95Seconds)
{
    public static FreshnessView? From(string entityType, LagHistogram? lag) =>
        lag is { Total: > 0 } l ? new(entityType, l.Total, l.Percentile(0.5)!.Value, l.Percentile(0.95)!.Value) : null;
}
