using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
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

    public WebhookSender(IOptions<WebhookOptions> options, WebhookUrlPolicy policy, TimeProvider time)
    {
        this.time = time;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = options.Value.RequestTimeout,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var host = context.DnsEndPoint.Host;
                var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
                var allowed = addresses.Where(a => policy.MayConnect(host, context.DnsEndPoint.Port, a)).ToArray();
                if (allowed.Length == 0)
                {
                    throw new HttpRequestException($"{host} resolves to an internal address; webhook targets must be public or allow-listed.");
                }

                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
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
        request.Headers.Add("webhook-signature", WebhookSigner.Sign(endpoint.Secret, delivery.EventId, timestamp, delivery.Payload));
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
