namespace FunctionsSync.Simulator.Data;

public sealed record SimRateLimit(double Capacity, double PerSecond);
