using System.Diagnostics.Metrics;
using FunctionsSync.Core.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.UnitTests;

/// <summary>Real instruments on a meter factory of the test's own (nothing listens unless a test does).</summary>
public static class TestMetrics
{
    public static SyncMetrics Create() => new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());
}
