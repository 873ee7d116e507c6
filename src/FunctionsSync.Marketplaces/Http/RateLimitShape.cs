namespace FunctionsSync.Marketplaces.Http;

public sealed class RateLimitShape
{
    public double Capacity { get; set; }
    public double PerSecond { get; set; }
}
