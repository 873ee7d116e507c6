using System.Diagnostics;
using System.Diagnostics.Metrics;
using FunctionsSync.Core.Ingestion;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;

namespace FunctionsSync.Core.Telemetry;

/// <summary>
/// The <c>FunctionsSync</c> meter: what an operator graphs. Created from the host's <see cref="IMeterFactory"/>, so
/// each host (and each test host) has its own instruments; exported by OpenTelemetry when the host configures it.
/// </summary>
public sealed class SyncMetrics
{
    public const string MeterName = "FunctionsSync";

    private readonly Counter<long> records;
    private readonly Counter<long> requests;
    private readonly Counter<long> rateLimited;
    private readonly Histogram<double> rateLimitWait;
    private readonly Histogram<double> runDuration;
    private readonly Histogram<long> runPages;
    private readonly Histogram<double> freshness;
    private readonly Counter<long> webhookAttempts;
    private readonly Counter<long> conflictsOpened;
    private long queueDepth = -1;
    private double oldestJobAgeSeconds = -1;

    public SyncMetrics(IMeterFactory factory)
    {
        var meter = factory.Create(MeterName);
        records = meter.CreateCounter<long>("functionssync.records", "{record}", "Records synced, by marketplace, entity type and outcome.");
        requests = meter.CreateCounter<long>("functionssync.marketplace.requests", "{request}", "Marketplace HTTP requests, by marketplace and status.");
        rateLimited = meter.CreateCounter<long>("functionssync.marketplace.rate_limited", "{response}", "429 answers, by marketplace.");
        rateLimitWait = meter.CreateHistogram<double>("functionssync.marketplace.rate_limit_wait", "s", "Time spent waiting on a rate limit (Retry-After or the limiter), by marketplace.");
        runDuration = meter.CreateHistogram<double>("functionssync.run.duration", "s", "Running time of ended runs, by marketplace and status.");
        runPages = meter.CreateHistogram<long>("functionssync.run.pages", "{page}", "Pages written per ended run, by marketplace.");
        freshness = meter.CreateHistogram<double>("functionssync.record.freshness", "s", "How long a change took from the marketplace to the store (incremental runs), by marketplace and entity type.");
        webhookAttempts = meter.CreateCounter<long>("functionssync.webhook.attempts", "{attempt}", "Webhook delivery attempts, by outcome.");
        conflictsOpened = meter.CreateCounter<long>("functionssync.conflicts.opened", "{conflict}", "Conflicts opened, by type.");
        meter.CreateObservableGauge("functionssync.queue.depth", () => Sampled(Interlocked.Read(ref queueDepth)), "{job}", "Jobs waiting in the fan-out queue (self-hosted runtime), as last sampled.");
        meter.CreateObservableGauge("functionssync.queue.oldest_age", () => Sampled(Volatile.Read(ref oldestJobAgeSeconds)), "s", "Age of the oldest visible job in the fan-out queue, as last sampled.");
    }

    public void RecordPage(string marketplace, EntityType type, IngestResult result, long rejected)
    {
        var entity = type.ToWire();
        Add(records, result.Created, marketplace, entity, "created");
        Add(records, result.Updated, marketplace, entity, "updated");
        Add(records, result.Unchanged, marketplace, entity, "unchanged");
        Add(records, result.Failed + rejected, marketplace, entity, "failed");
        Add(records, result.Skipped, marketplace, entity, "skipped");
    }

    public void RecordFreshness(string marketplace, EntityType type, IEnumerable<double> lagSeconds)
    {
        var tags = new TagList { { "marketplace", marketplace }, { "entity_type", type.ToWire() } };
        foreach (var lag in lagSeconds)
        {
            freshness.Record(lag, tags);
        }
    }

    /// <param name="status">The HTTP status, or null when no answer came (timeout, connection refused).</param>
    public void RecordRequest(string marketplace, int? status)
    {
        requests.Add(1, new("marketplace", marketplace), new("status", status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"));
        if (status == 429)
        {
            rateLimited.Add(1, new KeyValuePair<string, object?>("marketplace", marketplace));
        }
    }

    public void RecordRateLimitWait(string marketplace, TimeSpan waited) =>
        rateLimitWait.Record(waited.TotalSeconds, new KeyValuePair<string, object?>("marketplace", marketplace));

    public void RecordRunEnded(SyncRun run, long activeMs)
    {
        var status = System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(run.Status.ToString());
        runDuration.Record(activeMs / 1000.0, new("marketplace", run.Marketplace), new("status", status));
        runPages.Record(run.PageSeq, new KeyValuePair<string, object?>("marketplace", run.Marketplace));
    }

    public void RecordWebhookAttempt(string outcome) => webhookAttempts.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void RecordConflictOpened(string type) => conflictsOpened.Add(1, new KeyValuePair<string, object?>("type", type));

    /// <summary>What the queue sampler last saw; the gauges report it (nothing before the first sample).</summary>
    public void RecordQueue(int depth, TimeSpan? oldestAge)
    {
        Interlocked.Exchange(ref queueDepth, depth);
        Volatile.Write(ref oldestJobAgeSeconds, oldestAge?.TotalSeconds ?? 0);
    }

    private static IEnumerable<Measurement<T>> Sampled<T>(T value) where T : struct, IComparable<T> =>
        value.CompareTo(default) < 0 ? [] : [new Measurement<T>(value)];

    private static void Add(Counter<long> counter, long value, string marketplace, string entity, string outcome)
    {
        if (value > 0)
        {
            counter.Add(value, new("marketplace", marketplace), new("entity_type", entity), new("outcome", outcome));
        }
    }
}
