using System.Collections.Concurrent;
using System.Diagnostics;
using FunctionsSync.Core.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.Bench;

/// <summary>
/// Where a run's time goes, from its own spans while this listens: busy seconds fetching (<c>sync.page</c>, a write's
/// worth of marketplace pages), writing records (<c>sync.ingest</c>) and checkpointing (<c>sync.checkpoint</c>), and
/// how long after the run began the first records were being written. The stages overlap (the page pipeline fetches,
/// writes and checkpoints at once), so busy time is per stage, not a share of one clock.
/// </summary>
internal sealed class SpanTimes : IDisposable
{
    private readonly ActivityListener listener;
    private readonly ConcurrentDictionary<string, long> ticks = new();
    private readonly ConcurrentDictionary<string, int> counts = new();
    private DateTime? runStarted;
    private DateTime? firstIngest;

    public SpanTimes()
    {
        listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == SyncTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStarted = activity =>
            {
                lock (this)
                {
                    if (activity.OperationName == "sync.run")
                    {
                        runStarted ??= activity.StartTimeUtc;
                    }
                    else if (activity.OperationName == "sync.ingest")
                    {
                        firstIngest ??= activity.StartTimeUtc;
                    }
                }
            },
            ActivityStopped = activity =>
            {
                ticks.AddOrUpdate(activity.OperationName, activity.Duration.Ticks, (_, sum) => sum + activity.Duration.Ticks);
                counts.AddOrUpdate(activity.OperationName, 1, (_, n) => n + 1);
            },
        };
        ActivitySource.AddActivityListener(listener);
    }

    /// <summary>The breakdown of what ran while this listened, for a figure's detail.</summary>
    public object Breakdown(TimeSpan wall)
    {
        double Busy(string name) => Math.Round(TimeSpan.FromTicks(ticks.GetValueOrDefault(name)).TotalSeconds, 2);
        return new
        {
            wallSeconds = Math.Round(wall.TotalSeconds, 2),
            firstRecordAfterSeconds = runStarted is { } start && firstIngest is { } first ? Math.Round((first - start).TotalSeconds, 2) : (double?)null,
            fetchBusySeconds = Busy("sync.page"),
            fetches = counts.GetValueOrDefault("sync.page"),
            marketplaceRequestSeconds = Busy("marketplace.request"),
            ingestBusySeconds = Busy("sync.ingest"),
            writes = counts.GetValueOrDefault("sync.ingest"),
            checkpointBusySeconds = Busy("sync.checkpoint"),
            checkpoints = counts.GetValueOrDefault("sync.checkpoint"),
        };
    }

    public void Dispose() => listener.Dispose();
}

/// <summary>A full sync of one connection, timed, with where its time went; it must succeed.</summary>
internal static class TimedFullSync
{
    public static async Task<(Core.Runs.SyncRun Run, TimeSpan Elapsed, object Breakdown)> RunAsync(IServiceProvider services, string connectionId, string what)
    {
        using var spans = new SpanTimes();
        var watch = Stopwatch.StartNew();
        var outcome = await services.GetRequiredService<Core.Sync.ConnectionSyncer>().RunAsync(new Core.Sync.SyncRequest(connectionId, Core.Runs.SyncMode.Full), CancellationToken.None);
        watch.Stop();
        if (outcome.Run?.Status != Core.Runs.RunStatus.Succeeded)
        {
            throw new InvalidOperationException($"bench sync of {what} did not succeed: {outcome.Run?.Error}");
        }

        return (outcome.Run, watch.Elapsed, spans.Breakdown(watch.Elapsed));
    }
}
