namespace FunctionsSync.IntegrationTests.Infrastructure;

/// <summary>
/// The one fixed wait of the fault tests: how long a dependency stays down is the scenario itself (an operator's
/// 20 s or 90 s), not a condition to poll for.
/// </summary>
public static class Outage
{
    public static Task HoldAsync(TimeSpan duration) => Task.Delay(duration);

    /// <summary>Between two looks at a system during an outage.</summary>
    public static Task BetweenChecksAsync() => Task.Delay(TimeSpan.FromSeconds(1));
}
