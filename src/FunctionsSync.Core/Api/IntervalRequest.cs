namespace FunctionsSync.Core.Api;

public sealed class IntervalRequest
{
    public string? Cron { get; set; }
    public int? Minutes { get; set; }
}
