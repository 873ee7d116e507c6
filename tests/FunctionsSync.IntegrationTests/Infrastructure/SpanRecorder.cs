using System.Collections.Concurrent;
using System.Diagnostics;
using FunctionsSync.Core.Telemetry;

namespace FunctionsSync.IntegrationTests.Infrastructure;

/// <summary>Records every span of the service's activity source that ends while it is alive.</summary>
public sealed class SpanRecorder : IDisposable
{
    private readonly ActivityListener listener;

    public SpanRecorder()
    {
        listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == SyncTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
    }

    public ConcurrentQueue<Activity> Spans { get; } = new();

    public void Dispose() => listener.Dispose();
}
