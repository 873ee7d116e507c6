namespace FunctionsSync.Core.Orchestration;

/// <summary>Activity retry policy, read from configuration by an activity and handed to the orchestrators in their input.</summary>
public sealed record ActivityRetry(int MaxAttempts, TimeSpan FirstInterval, double BackoffCoefficient, TimeSpan MaxInterval);
