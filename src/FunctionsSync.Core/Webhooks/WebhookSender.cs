using System.Diagnostics;
using System.Text;
using FunctionsSync.Core.Outbound;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Core.Webhooks;

/// <summary>
/// Sends one signed attempt. Its own client, so a receiver can never slow down marketplace calls, with the address
/// check in the connect callback: what is checked is what is dialled.
/// </summary>
public sealed class WebhookSender : IDisposable
{
    private readonly HttpClient client;
    private readonly TimeProvider time;

    public WebhookSender(IOptions<WebhookOptions> options, WebhookTargets targets, TimeProvider time)
    {
        this.time = time;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = options.Value.RequestTimeout,
            ConnectCallback = targets.Policy.ConnectAsync,
        };
        client = new HttpClient(handler) { Timeout = options.Value.RequestTimeout };
    }

    public async Task<DeliveryAttempt> SendAsync(WebhookEndpoint endpoint, WebhookDelivery delivery, int number, CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow();
        var timestamp = startedAt.ToUnixTimeSeconds();
        var watch = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.TargetUrl)
        {
            Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", delivery.EventId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // Standard Webhooks: space-separated signatures, one per secret in use, so a receiver still on the previous
        // secret verifies during a rotation's overlap.
        request.Headers.Add("webhook-signature", string.Join(' ', endpoint.SigningSecrets(startedAt).Select(s => WebhookSigner.Sign(s, delivery.EventId, timestamp, delivery.Payload))));
        request.Headers.UserAgent.ParseAdd("FunctionsSync-Webhooks/1.0");
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            var error = response.IsSuccessStatusCode ? null : $"Receiver answered {status} {response.ReasonPhrase}";
            return new DeliveryAttempt(number, startedAt, status, error, watch.ElapsedMilliseconds);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var error = ex is TaskCanceledException ? $"No answer within {client.Timeout.TotalSeconds:0.#} s" : ex.GetBaseException().Message;
            return new DeliveryAttempt(number, startedAt, null, error, watch.ElapsedMilliseconds);
        }
    }

    public void Dispose() => client.Dispose();
}
