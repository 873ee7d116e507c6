using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using FunctionsSync.Core.Telemetry;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;
using FunctionsSync.Simulator.Faults;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.IntegrationTests;

/// <summary>The FunctionsSync meter and activity source, read as an exporter would, against what the run and the simulator counted.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class TelemetryTests(AzuriteFixture storage, SimulatorFixture simulator) : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        simulator.State.Faults = new SimFaults();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Record_request_and_429_counters_match_the_run_and_the_simulator_under_injected_429s()
    {
        await using var harness = new SyncHarness(storage, simulator, "telemetry", new Dictionary<string, string?>
        {
            ["Sync:PageSize"] = "50",
            ["Marketplaces:BaseDelay"] = "00:00:00.010",
            ["Marketplaces:MaxDelay"] = "00:00:00.100",
        });
        var storeId = "telemetry-shopify";
        // REST: hundreds of requests for the injected 429s to land on (a bulk query makes a handful).
        var (connection, store) = await harness.AddStoreAsync("shopify", storeId, new SimStoreConfig { Orders = 1_200, Products = 200, Customers = 100, Seed = 12 }, settings: SyncHarness.Rest);

        // Only this harness's instruments (its own meter factory), as its exporter would see them.
        var factory = harness.Services.GetRequiredService<IMeterFactory>();
        var sums = new ConcurrentDictionary<string, long>();
        var histograms = new ConcurrentDictionary<string, int>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SyncMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument is Histogram<long>)
            {
                histograms.AddOrUpdate(instrument.Name, 1, (_, n) => n + 1);
                return;
            }

            var key = instrument.Name + Tags(tags);
            sums.AddOrUpdate(key, value, (_, sum) => sum + value);
            sums.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value);
        });
        listener.SetMeasurementEventCallback<double>((instrument, _, _, _) => histograms.AddOrUpdate(instrument.Name, 1, (_, n) => n + 1));
        listener.Start();

        using var recorder = new SpanRecorder();
        var spans = recorder.Spans;

        simulator.State.ClearRequests();
        simulator.State.Faults = new SimFaults { RateLimitShare = 0.25, RetryAfterSeconds = 0.05, Seed = 99 };
        var outcome = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full), CancellationToken.None);
        simulator.State.Faults = new SimFaults();
        listener.Dispose();

        var run = outcome.Run!;
        Assert.True(run.Status == RunStatus.Succeeded, run.Error);
        var snapshot = await harness.SnapshotAsync(connection.Id);
        foreach (var type in EntityTypes.All)
        {
            Expected.Matches(Expected.For(store, type), snapshot[type], $"{type.ToWire()} under 429s");
        }

        // Records: per entity type and outcome, exactly the run's counters.
        foreach (var entity in run.Entities.Where(e => e.State != EntityRunState.Unsupported))
        {
            var wire = entity.EntityType.ToWire();
            Assert.Equal(entity.Counters.Created, Sum(sums, $"functionssync.records|entity_type={wire}|marketplace=shopify|outcome=created"));
            Assert.Equal(entity.Counters.Unchanged, Sum(sums, $"functionssync.records|entity_type={wire}|marketplace=shopify|outcome=unchanged"));
            Assert.Equal(entity.Counters.Updated, Sum(sums, $"functionssync.records|entity_type={wire}|marketplace=shopify|outcome=updated"));
        }

        Assert.Equal(run.Counters.Processed + run.Counters.Skipped, Sum(sums, "functionssync.records"));

        // Requests and 429s: what the simulator answered this store, and what the run itself reports.
        var answered = simulator.State.Requests.Where(r => r.StoreId == storeId).ToList();
        var limited = answered.Count(r => r.Status == 429);
        Assert.True(limited >= 5, $"only {limited} 429s were injected");
        Assert.Equal(limited, Sum(sums, "functionssync.marketplace.rate_limited"));
        Assert.Equal(limited, Sum(sums, "functionssync.marketplace.requests|marketplace=shopify|status=429"));
        Assert.Equal(answered.Count, Sum(sums, "functionssync.marketplace.requests"));
        Assert.Equal(answered.Count, run.Calls!.Requests);
        Assert.Equal(limited, run.Calls.Throttled);
        Assert.True(run.Calls.Retries >= limited, $"{run.Calls.Retries} retries for {limited} 429s");
        Assert.True(run.Calls.RateLimitWaitMs >= limited * 50 * 0.9, $"{run.Calls.RateLimitWaitMs} ms waited for {limited} Retry-After of 50 ms");
        Assert.Equal(1, histograms.GetValueOrDefault("functionssync.run.duration"));
        Assert.Equal(1, histograms.GetValueOrDefault("functionssync.run.pages"));

        // Traces: one run span; a span per page fetched and per marketplace call, each call inside a page of the run.
        var mine = spans.Where(s => s.RootId == spans.Single(r => r.OperationName == "sync.run" && (string?)r.GetTagItem("functionssync.run_id") == run.RunId).RootId).ToList();
        var pagesSpans = mine.Where(s => s.OperationName == "sync.page").ToList();
        var calls = mine.Where(s => s.OperationName == "marketplace.request").ToList();
        Assert.Equal(answered.Count, calls.Count);
        Assert.True(pagesSpans.Count >= run.PageSeq, $"{pagesSpans.Count} page spans for {run.PageSeq} pages");
        Assert.All(calls, c => Assert.Contains(pagesSpans, p => p.SpanId == c.ParentSpanId));
    }

    /// <summary>A cancelled run ends through the same ending as the others: its span says how it ended.</summary>
    [Fact]
    public async Task A_cancelled_runs_span_carries_its_status()
    {
        await using var harness = new SyncHarness(storage, simulator, "telemetrycancel");
        var (connection, _) = await harness.AddStoreAsync("woocommerce", "telemetry-cancel", new SimStoreConfig { Orders = 20, Products = 5, Customers = 5, Seed = 13 });
        using var recorder = new SpanRecorder();
        var spans = recorder.Spans;

        // Cancelled before its runner took the connection: it ends there, unstarted.
        var runId = RunIds.New(connection.Id, DateTimeOffset.UtcNow);
        await harness.State.SetControlAsync(runId, RunControl.Cancel, CancellationToken.None);
        var outcome = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full, RunId: runId), CancellationToken.None);

        Assert.Equal(RunStatus.Cancelled, outcome.Run!.Status);
        var span = Assert.Single(spans, s => s.OperationName == "sync.run" && (string?)s.GetTagItem("functionssync.run_id") == runId);
        Assert.Equal(nameof(RunStatus.Cancelled), span.GetTagItem("functionssync.status"));
    }

    private static long Sum(ConcurrentDictionary<string, long> sums, string key) => sums.GetValueOrDefault(key);

    private static string Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var list = new List<string>();
        foreach (var tag in tags)
        {
            list.Add($"{tag.Key}={tag.Value}");
        }

        list.Sort(StringComparer.Ordinal);
        return list.Count == 0 ? "" : "|" + string.Join("|", list);
    }
}
