using System.Text.Json;
using System.Threading.Channels;
using FunctionsSync.Core.Api;
using FunctionsSync.Core.Conflicts;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Core.Events;

/// <summary>
/// Publishes live events without holding up their publisher (a run's checkpoint, an API call): they queue in a bounded
/// buffer that one writer drains into <see cref="ILiveEventLog"/> in order, a batch at a time. Events are a view for
/// screens; the runs, conflicts and deliveries they describe stay the record, so a full buffer or a failed write drops
/// events (logged) and never fails what published them. Disposing flushes what is queued.
/// </summary>
public sealed partial class LiveEvents : IAsyncDisposable
{
    private const int WriteBatch = 200;

    private readonly ILiveEventLog log;
    private readonly TimeProvider time;
    private readonly ILogger<LiveEvents> logger;
    private readonly Channel<LiveEvent> buffer;
    private readonly Lazy<Task> writer;
    private long lastTicks;

    public LiveEvents(ILiveEventLog log, IOptions<LiveEventOptions> options, TimeProvider time, ILogger<LiveEvents> logger)
    {
        this.log = log;
        this.time = time;
        this.logger = logger;
        buffer = Channel.CreateBounded<LiveEvent>(new BoundedChannelOptions(options.Value.BufferSize) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
        writer = new Lazy<Task>(() => Task.Run(WriteAsync));
    }

    public void Run(string type, SyncRun run)
    {
        var now = time.GetUtcNow();
        var view = RunView.From(run, now);
        Publish(type, run.OrganizationId, now, new
        {
            runId = run.RunId,
            connectionId = run.ConnectionId,
            marketplace = run.Marketplace,
            status = view.Status,
            phase = view.Phase,
            mode = view.Mode,
            percentComplete = view.PercentComplete,
            estimatedTimeRemainingMs = view.EstimatedTimeRemainingMs,
            counters = view.Counters,
            error = view.Error,
        });
    }

    public void Conflict(string type, Conflict conflict) =>
        Publish(type, conflict.OrganizationId, time.GetUtcNow(), new
        {
            conflictId = conflict.Id,
            connectionId = conflict.ConnectionId,
            conflictType = conflict.Type,
            status = conflict.Status,
            entityType = conflict.EntityType is { } t ? Records.EntityTypes.ToWire(t) : null,
            externalId = conflict.ExternalId,
        });

    public void Delivery(WebhookDelivery delivery) =>
        Publish(LiveEventTypes.WebhookDelivery, delivery.OrganizationId, time.GetUtcNow(), new
        {
            deliveryId = delivery.Id,
            endpointId = delivery.EndpointId,
            eventType = delivery.EventType,
            status = delivery.Status,
            attempts = delivery.Attempts,
            lastError = delivery.LastError,
        });

    private void Publish(string type, string organizationId, DateTimeOffset now, object payload)
    {
        // Ids increase within a process even when the clock does not move between two events.
        long ticks;
        long seen;
        do
        {
            seen = Interlocked.Read(ref lastTicks);
            ticks = Math.Max(seen + 1, now.UtcTicks);
        }
        while (Interlocked.CompareExchange(ref lastTicks, ticks, seen) != seen);

        var id = LiveEventIds.New(ticks);
        var data = JsonSerializer.Serialize(new { id, type, at = now, organizationId, data = payload }, ApiJson.Options);
        if (!buffer.Writer.TryWrite(new LiveEvent(id, type, organizationId, now, data)))
        {
            LogDropped(type, id);
            return;
        }

        _ = writer.Value;
    }

    private async Task WriteAsync()
    {
        var batch = new List<LiveEvent>(WriteBatch);
        while (await buffer.Reader.WaitToReadAsync())
        {
            while (batch.Count < WriteBatch && buffer.Reader.TryRead(out var e))
            {
                batch.Add(e);
            }

            try
            {
                await log.AppendAsync(batch, CancellationToken.None);
            }
            catch (Exception ex)
            {
                LogWriteFailed(ex, batch.Count);
            }

            batch.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        buffer.Writer.TryComplete();
        if (writer.IsValueCreated)
        {
            await writer.Value.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    [LoggerMessage(9001, LogLevel.Warning, "Live event {Type} {Id} dropped: the event buffer is full")]
    private partial void LogDropped(string type, string id);

    [LoggerMessage(9002, LogLevel.Warning, "{Count} live events could not be written; streams will not show them")]
    private partial void LogWriteFailed(Exception exception, int count);
}
