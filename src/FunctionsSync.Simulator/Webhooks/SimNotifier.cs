using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using FunctionsSync.Simulator.Data;
using FunctionsSync.Simulator.Endpoints;

namespace FunctionsSync.Simulator.Webhooks;

/// <summary>
/// The stores' change notifications, sent as the marketplaces send them to an app's subscription: WooCommerce's
/// (<c>X-WC-Webhook-Topic</c>, <c>-Resource</c>, <c>-Event</c>, <c>-Signature</c>, <c>-ID</c>, a new
/// <c>-Delivery-ID</c> per attempt; the resource as the REST API shows it) and Shopify's (<c>X-Shopify-Topic</c>,
/// <c>-Hmac-Sha256</c>, <c>-Shop-Domain</c>, <c>-Event-Id</c> shared by the deliveries of one change,
/// <c>-Webhook-Id</c> per delivery, <c>-Triggered-At</c>; a small body) and Etsy's (orders only: <c>order.paid</c>
/// with its <c>resource_url</c>, signed the Standard Webhooks way with the <c>whsec_</c> secret's key over
/// <c>{webhook-id}.{webhook-timestamp}.{body}</c>). The others are signed with the subscription's secret over the body. The faults drop, delay (and so reorder) and duplicate them; a delivery the receiver refuses
/// or cannot take is tried again a few times, as the marketplaces retry.
/// </summary>
public sealed class SimNotifier(SimulatorState state)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly System.Collections.Concurrent.ConcurrentQueue<(string Url, string Topic, int Status)> attempts = new();
    private long sent;

    /// <summary>Every attempt's target, topic and answer (0: no answer), for tests and diagnosis.</summary>
    public IReadOnlyList<(string Url, string Topic, int Status)> Attempts => [.. attempts];

    private readonly System.Collections.Concurrent.ConcurrentQueue<(string StoreId, SimKind Kind, int Index)> dropped = new();

    /// <summary>The changes whose notification the faults dropped (no copy sent), for tests and benchmarks.</summary>
    public IReadOnlyList<(string StoreId, SimKind Kind, int Index)> Dropped => [.. dropped];

    /// <summary>Notifications handed to the receiver and answered 2xx.</summary>
    public long Delivered => Interlocked.Read(ref sent);

    internal void Changed(SimStore store, SimKind kind, IReadOnlyList<int> indexes, bool deleted)
    {
        if (store.Subscription is not { } subscription || store.Marketplace is not ("woocommerce" or "shopify" or "etsy" or "amazon"))
        {
            return;
        }

        // Amazon: ORDER_CHANGE, to the queue of its destination (orders are never deleted there).
        if (store.Marketplace == "amazon")
        {
            if (kind == SimKind.Orders && !deleted && subscription is { QueueConnectionString: { } account, QueueName: { } queueName })
            {
                Enqueue(store, account, queueName, indexes);
            }

            return;
        }

        // Etsy's events are about orders only (contracts/etsy/webhooks.md: order.paid, .canceled, .shipped, .delivered).
        if (store.Marketplace == "etsy" && (kind != SimKind.Orders || deleted))
        {
            return;
        }

        foreach (var index in indexes)
        {
            if (Fate() is not { } fate)
            {
                dropped.Enqueue((store.StoreId, kind, index));
                continue;
            }

            var (delay, copies) = fate;

            var (topic, body) = Describe(store, kind, index, deleted);
            var eventId = Guid.NewGuid().ToString();
            for (var copy = 0; copy < copies; copy++)
            {
                _ = SendAsync(store, subscription, topic, body, eventId, delay);
            }
        }
    }

    /// <summary>What the faults make of one notification: null when it is dropped, else its delay and how many copies go.</summary>
    private (TimeSpan Delay, int Copies)? Fate()
    {
        var faults = state.Faults;
        if (state.Roll() < faults.NotificationDropShare)
        {
            return null;
        }

        var delay = state.Roll() < faults.NotificationDelayShare ? TimeSpan.FromMilliseconds(faults.NotificationDelayMs) : TimeSpan.Zero;
        return (delay, state.Roll() < faults.NotificationDuplicateShare ? 2 : 1);
    }

    /// <summary>Each change as an SP-API <c>ORDER_CHANGE</c> message (contracts/amazon/OrderChangeNotification.json), dropped, delayed and duplicated as the faults say.</summary>
    private void Enqueue(SimStore store, string account, string queueName, IReadOnlyList<int> indexes)
    {
        var queue = new Azure.Storage.Queues.QueueClient(account, queueName, new Azure.Storage.Queues.QueueClientOptions { MessageEncoding = Azure.Storage.Queues.QueueMessageEncoding.Base64 });
        foreach (var index in indexes)
        {
            if (Fate() is not { } fate)
            {
                dropped.Enqueue((store.StoreId, SimKind.Orders, index));
                continue;
            }

            var (delay, copies) = fate;

            var at = store.Current(SimKind.Orders, index);
            var now = state.Time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            var body = new JsonObject
            {
                ["NotificationVersion"] = "1.0",
                ["NotificationType"] = "ORDER_CHANGE",
                ["PayloadVersion"] = "1.0",
                ["EventTime"] = now,
                ["Payload"] = new JsonObject
                {
                    ["OrderChangeNotification"] = new JsonObject
                    {
                        ["NotificationLevel"] = "OrderLevel",
                        ["SellerId"] = store.StoreId,
                        ["AmazonOrderId"] = SimCatalog.AmazonOrderId(index),
                        ["OrderChangeType"] = "OrderStatusChange",
                        ["OrderChangeTrigger"] = new JsonObject { ["TimeOfOrderChange"] = at.UpdatedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), ["ChangeReason"] = "Order status changed" },
                    },
                },
                ["NotificationMetadata"] = new JsonObject
                {
                    ["ApplicationId"] = "amzn1.sellerapps.app.simulator",
                    ["SubscriptionId"] = $"subscription-{store.StoreId}",
                    ["PublishTime"] = now,
                    ["NotificationId"] = Guid.NewGuid().ToString(),
                },
            }.ToJsonString();
            for (var copy = 0; copy < copies; copy++)
            {
                _ = EnqueueAsync(queue, body, delay);
            }
        }
    }

    private async Task EnqueueAsync(Azure.Storage.Queues.QueueClient queue, string body, TimeSpan delay)
    {
        try
        {
            await queue.SendMessageAsync(body, delay > TimeSpan.Zero ? delay : null);
            attempts.Enqueue((queue.Name, "ORDER_CHANGE", 201));
            Interlocked.Increment(ref sent);
        }
        catch (Azure.RequestFailedException ex)
        {
            attempts.Enqueue((queue.Name, "ORDER_CHANGE", ex.Status));
        }
    }

    private async Task SendAsync(SimStore store, SimSubscription subscription, string topic, string body, string eventId, TimeSpan delay)
    {
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay);
        }

        var signature = store.Marketplace == "etsy" ? "" : Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(subscription.Secret), Encoding.UTF8.GetBytes(body)));
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            if (store.Marketplace == "etsy")
            {
                // Standard Webhooks: the id stays the same on retries; the timestamp and signature are of this attempt.
                var timestamp = state.Time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                var key = Convert.FromBase64String(subscription.Secret[(subscription.Secret.IndexOf('_', StringComparison.Ordinal) + 1)..]);
                request.Headers.Add("webhook-id", eventId);
                request.Headers.Add("webhook-timestamp", timestamp);
                request.Headers.Add("webhook-signature", "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{eventId}.{timestamp}.{body}"))));
            }
            else if (store.Marketplace == "shopify")
            {
                request.Headers.Add("X-Shopify-Topic", topic);
                request.Headers.Add("X-Shopify-Hmac-Sha256", signature);
                request.Headers.Add("X-Shopify-Shop-Domain", $"{store.StoreId}.myshopify.com");
                request.Headers.Add("X-Shopify-API-Version", "2026-04");
                request.Headers.Add("X-Shopify-Webhook-Id", Guid.NewGuid().ToString());
                request.Headers.Add("X-Shopify-Event-Id", eventId);
                request.Headers.Add("X-Shopify-Triggered-At", state.Time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
            }
            else
            {
                var (resource, @event) = (topic.Split('.')[0], topic.Split('.')[1]);
                request.Headers.Add("X-WC-Webhook-Source", $"https://{store.StoreId}.example/");
                request.Headers.Add("X-WC-Webhook-Topic", topic);
                request.Headers.Add("X-WC-Webhook-Resource", resource);
                request.Headers.Add("X-WC-Webhook-Event", @event);
                request.Headers.Add("X-WC-Webhook-Signature", signature);
                request.Headers.Add("X-WC-Webhook-ID", "17");
                request.Headers.Add("X-WC-Webhook-Delivery-ID", Guid.NewGuid().ToString("N"));
            }

            try
            {
                using var response = await Http.SendAsync(request);
                attempts.Enqueue((subscription.Url, topic, (int)response.StatusCode));
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref sent);
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                attempts.Enqueue((subscription.Url, topic, 0));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500 * attempt));
        }
    }

    private static (string Topic, string Body) Describe(SimStore store, SimKind kind, int index, bool deleted)
    {
        var at = store.Current(kind, index);
        if (store.Marketplace == "etsy")
        {
            var receipt = SimCatalog.OrderId(index);
            return ("order.paid", new JsonObject
            {
                ["event_type"] = "order.paid",
                ["resource_url"] = $"https://api.etsy.com/v3/application/shops/{store.StoreId}/receipts/{receipt}",
                ["shop_id"] = long.TryParse(store.StoreId, out var shop) ? shop : 0,
            }.ToJsonString());
        }

        if (store.Marketplace == "shopify")
        {
            var (resource, gid, id) = kind switch
            {
                SimKind.Orders => ("orders", "Order", SimCatalog.OrderId(index)),
                SimKind.Products => ("products", "Product", SimCatalog.ProductId(index)),
                _ => ("customers", "Customer", SimCatalog.CustomerId(index)),
            };
            var action = deleted ? "delete" : kind == SimKind.Orders ? "updated" : "update";
            var body = new JsonObject { ["id"] = id, ["admin_graphql_api_id"] = $"gid://shopify/{gid}/{id}" };
            if (!deleted)
            {
                body["updated_at"] = at.UpdatedAt.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture);
            }

            return ($"{resource}/{action}", body.ToJsonString());
        }

        var name = kind switch { SimKind.Orders => "order", SimKind.Products => "product", _ => "customer" };
        if (deleted)
        {
            var deletedId = kind switch { SimKind.Orders => SimCatalog.OrderId(index), SimKind.Products => SimCatalog.ProductId(index), _ => SimCatalog.CustomerId(index) };
            return ($"{name}.deleted", new JsonObject { ["id"] = deletedId }.ToJsonString());
        }

        var record = kind switch
        {
            SimKind.Orders => WooCommerceEndpoints.Order(SimCatalog.Order(store, at)),
            SimKind.Products => WooCommerceEndpoints.Product(SimCatalog.Product(store, at)),
            _ => WooCommerceEndpoints.Customer(SimCatalog.Customer(store, at)),
        };
        return ($"{name}.updated", record.ToJsonString());
    }
}
