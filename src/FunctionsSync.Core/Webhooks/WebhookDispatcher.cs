using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Core.Webhooks;

/// <summary>
/// Turns outbox events into deliveries (one per subscribed endpoint) and makes the attempts: at least once,
/// on the retry schedule, until delivered or out of attempts. Runs in the queue worker and the sweeper, never on the
/// sync path, so a slow or dead receiver cannot hold up syncing.
/// </summary>
public sealed partial class WebhookDispatcher(
    IOutbox outbox,
    IWebhookStore store,
    WebhookSender sender,
    Telemetry.SyncMetrics metrics,
    Events.LiveEvents events,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookDispatcher> logger)
{
    /// <summary>Newest attempts kept per delivery.</summary>
    private const int MaxLoggedAttempts = 100;

    private WebhookOptions Options => options.Value;

    private DateTimeOffset Now => time.GetUtcNow();

    /// <summary>Fans one outbox event out and attempts its deliveries. Repeating it is harmless.</summary>
    public async Task DispatchAsync(string connectionId, string eventId, CancellationToken cancellationToken)
    {
        if (await outbox.GetAsync(connectionId, eventId, cancellationToken) is not { } outboxEvent)
        {
            return;
        }

        var deliveries = new List<WebhookDelivery>();
        foreach (var endpoint in await store.ListEndpointsAsync(outboxEvent.OrganizationId, cancellationToken))
        {
            if (!endpoint.Subscribes(outboxEvent.Type))
            {
                continue;
            }

            deliveries.Add(await store.AddDeliveryAsync(new WebhookDelivery
            {
                EndpointId = endpoint.Id,
                EventId = outboxEvent.EventId,
                OrganizationId = outboxEvent.OrganizationId,
                EventType = outboxEvent.Type,
                Payload = outboxEvent.Payload,
                CreatedAt = Now,
                NextAttemptAt = Now,
            }, cancellationToken));
        }

        // Every delivery exists now, each with its own retry state: the row has done its job.
        await outbox.RemoveAsync(connectionId, eventId, cancellationToken);
        await AttemptAllAsync(deliveries, cancellationToken);
    }

    /// <summary>Dispatches events whose signal was lost and attempts deliveries that are due.</summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        foreach (var waiting in await outbox.ListWaitingAsync(Now - Options.SweepAfter, 200, cancellationToken))
        {
            LogSweptEvent(waiting.EventId, waiting.Type);
            await DispatchAsync(waiting.ConnectionId, waiting.EventId, cancellationToken);
        }

        await AttemptAllAsync(await store.ListDueDeliveriesAsync(Now, 500, cancellationToken), cancellationToken);
    }

    /// <summary>Attempts a delivery now if it is due (a replay, a signal for it).</summary>
    public async Task AttemptByIdAsync(string endpointId, string eventId, CancellationToken cancellationToken)
    {
        if (await store.GetDeliveryAsync(endpointId, eventId, cancellationToken) is { } delivery)
        {
            await AttemptAsync(delivery, cancellationToken);
        }
    }

    /// <summary>Starts the delivery over: pending, a fresh attempt budget, due now. Its log keeps every earlier attempt.</summary>
    /// <returns>The replayed delivery; null while an attempt of it is in flight (or another write came first).</returns>
    public async Task<WebhookDelivery?> ReplayAsync(WebhookDelivery delivery, CancellationToken cancellationToken) =>
        delivery.ClaimedUntil > Now
            ? null
            : await store.TrySaveDeliveryAsync(delivery with { Status = DeliveryStatus.Pending, Attempts = 0, NextAttemptAt = Now, ClaimedUntil = null }, cancellationToken);

    private Task AttemptAllAsync(IEnumerable<WebhookDelivery> deliveries, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(
            deliveries,
            new ParallelOptions { MaxDegreeOfParallelism = Options.MaxConcurrentDeliveries, CancellationToken = cancellationToken },
            async (delivery, ct) => await AttemptAsync(delivery, ct));

    /// <summary>
    /// One attempt of a due delivery, claimed first so that two workers never send the same attempt. The one check of
    /// whether a delivery is due, for every caller: the signal's worker reads the delivery fresh, so it can find it
    /// claimed by the sweeper, and claimed means not due.
    /// </summary>
    private async Task AttemptAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        if (delivery.Status != DeliveryStatus.Pending || delivery.NextAttemptAt > Now)
        {
            return;
        }

        try
        {
            // The claim pushes the next attempt past this one's longest duration; a worker that dies mid-attempt
            // leaves the delivery due again after that.
            var until = Now + Options.RequestTimeout * 3;
            var claim = await store.TrySaveDeliveryAsync(delivery with { NextAttemptAt = until, ClaimedUntil = until }, cancellationToken);
            if (claim is null)
            {
                return;
            }

            // Whatever the attempt's outcome, the claim ends with it.
            var settled = claim with { ClaimedUntil = null };

            var endpoint = await store.GetEndpointAsync(claim.EndpointId, cancellationToken);
            if (endpoint is null || endpoint.DisabledAt is not null)
            {
                var reason = endpoint is null ? "The endpoint was deleted." : $"The endpoint is disabled: {endpoint.DisabledReason}";
                await store.TrySaveDeliveryAsync(settled with { Status = DeliveryStatus.Failed, LastError = reason }, cancellationToken);
                return;
            }

            var attempt = await sender.SendAsync(endpoint, claim, claim.Log.Count + 1, cancellationToken);
            var attempts = claim.Attempts + 1;
            var log = claim.Log.Append(attempt).TakeLast(MaxLoggedAttempts).ToList();
            var result = attempt.Error is null
                ? settled with { Status = DeliveryStatus.Delivered, Attempts = attempts, DeliveredAt = attempt.At, LastError = null, Log = log }
                : attempts >= Options.MaxAttempts
                    ? settled with { Status = DeliveryStatus.Failed, Attempts = attempts, LastError = attempt.Error, Log = log }
                    : settled with { Attempts = attempts, NextAttemptAt = Now + Options.DelayBefore(attempts + 1), LastError = attempt.Error, Log = log };
            await store.TrySaveDeliveryAsync(result, cancellationToken);
            metrics.RecordWebhookAttempt(attempt.Error is null ? "delivered" : result.Status == DeliveryStatus.Failed ? "gave_up" : "failed");
            events.Delivery(result);
            if (attempt.Error is null)
            {
                LogDelivered(claim.Id, attempt.Number);
            }
            else
            {
                LogAttemptFailed(claim.Id, attempt.Number, attempt.Error, result.Status);
            }

            await TrackEndpointHealthAsync(endpoint, attempt, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The delivery stays pending with its claim; it is due again once the claim lapses.
            LogAttemptCrashed(ex, delivery.Id);
        }
    }

    /// <summary>Success clears the failure streak; a streak longer than <see cref="WebhookOptions.DisableAfter"/> disables the endpoint.</summary>
    private async Task TrackEndpointHealthAsync(WebhookEndpoint endpoint, DeliveryAttempt attempt, CancellationToken cancellationToken)
    {
        // Nothing to write for the common case (delivered, not failing): no read either.
        if (attempt.Error is null && endpoint.FailingSince is null)
        {
            return;
        }

        // On the endpoint as stored: an operator's change (a rotation, a PATCH) made meanwhile is kept. The store never
        // brings back an endpoint deleted meanwhile.
        await store.UpdateEndpointAsync(endpoint.Id, current =>
        {
            if (attempt.Error is null)
            {
                return current.FailingSince is null ? null : current with { FailingSince = null };
            }

            if (current.FailingSince is null)
            {
                return current with { FailingSince = attempt.At };
            }

            if (current.DisabledAt is null && Now - current.FailingSince >= Options.DisableAfter)
            {
                LogEndpointDisabled(current.Id, current.FailingSince.Value);
                return current with { DisabledAt = Now, DisabledReason = $"Every attempt failed since {current.FailingSince:O}; last: {attempt.Error}" };
            }

            return null;
        }, cancellationToken);
    }

    [LoggerMessage(3001, LogLevel.Debug, "Webhook delivery {DeliveryId} delivered on attempt {Attempt}")]
    private partial void LogDelivered(string deliveryId, int attempt);

    [LoggerMessage(3002, LogLevel.Warning, "Webhook delivery {DeliveryId} attempt {Attempt} failed: {Error} (now {Status})")]
    private partial void LogAttemptFailed(string deliveryId, int attempt, string error, DeliveryStatus status);

    [LoggerMessage(3003, LogLevel.Error, "Webhook delivery {DeliveryId}: the attempt could not be recorded")]
    private partial void LogAttemptCrashed(Exception exception, string deliveryId);

    [LoggerMessage(3004, LogLevel.Warning, "Webhook endpoint {EndpointId} disabled: failing since {Since}")]
    private partial void LogEndpointDisabled(string endpointId, DateTimeOffset since);

    [LoggerMessage(3005, LogLevel.Information, "Outbox event {EventId} ({Type}) had no signal; the sweeper dispatches it")]
    private partial void LogSweptEvent(string eventId, string type);
}
