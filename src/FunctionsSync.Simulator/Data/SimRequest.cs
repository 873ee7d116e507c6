namespace FunctionsSync.Simulator.Data;

/// <summary>One request the simulator answered, for tests and the benchmark.</summary>
public sealed record SimRequest(DateTimeOffset At, string Marketplace, string StoreId, string Path, int Status, TimeSpan? RetryAfter, string Method = "GET");
