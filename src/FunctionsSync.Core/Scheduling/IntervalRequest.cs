using FunctionsSync.Core.Api;

namespace FunctionsSync.Core.Scheduling;

public sealed class IntervalRequest
{
    public string? Cron { get; set; }
    public int? Minutes { get; set; }
}
