using System.Diagnostics;

namespace FunctionsSync.Core.Telemetry;

/// <summary>The <c>FunctionsSync</c> activity source: a trace per run attempt, a span per page fetched and per marketplace call.</summary>
public static class SyncTracing
{
    public const string SourceName = "FunctionsSync";

    public static ActivitySource Source { get; } = new(SourceName);
}
