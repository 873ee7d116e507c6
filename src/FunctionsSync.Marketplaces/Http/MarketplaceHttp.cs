using FunctionsSync.Core.Outbound;
using System.Globalization;
using System.Net;
using System.Text.Json;
using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Connections;
using FunctionsSync.Marketplaces.Resilience;
using FunctionsSync.Core.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace FunctionsSync.Marketplaces.Http;

/// <summary>
/// Sends marketplace requests through the connection's pipeline and rate limiter, feeds what the marketplace says
/// about its limits back into the limiter, and turns what cannot be used into a <see cref="MarketplaceException"/>
/// with a reason fit for an operator.
/// </summary>
public sealed partial class MarketplaceHttp(
    IHttpClientFactory clients,
    ConnectionPipelines pipelines,
    SyncMetrics metrics,
    IOptions<MarketplaceHttpOptions> options,
    TimeProvider time,
    ILogger<MarketplaceHttp> logger)
{
    public const string ClientName = "FunctionsSync.Marketplaces";

    /// <summary>GETs JSON. <paramref name="what"/> names the call in errors, e.g. "shopify orders page".</summary>
    public async Task<MarketplaceResponse> GetJsonAsync(Connection connection, Uri uri, Action<HttpRequestMessage> authorize, string what, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var client = clients.CreateClient(ClientName);
        var (pipeline, limiter) = pipelines.For(connection);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        // The run this call belongs to (its attempt scope), for the run's own request, retry and 429 counts.
        var calls = MarketplaceCallScope.Current;
        var attempts = 0;
        DateTimeOffset? throttledAt = null;
        HttpResponseMessage response;
        try
        {
            response = await pipeline.ExecuteAsync(
                async ctx =>
                {
                    var waitStarted = time.GetUtcNow();
                    if (limiter is not null)
                    {
                        await limiter.AcquireAsync(ctx.CancellationToken);
                    }

                    // Rate-limit waiting: the limiter's delay, plus the back-off since a 429 answered the attempt before.
                    var waited = time.GetUtcNow() - (throttledAt ?? waitStarted);
                    if (waited > MinCountedWait)
                    {
                        calls?.Waited(waited);
                        metrics.RecordRateLimitWait(connection.Marketplace, waited);
                    }

                    throttledAt = null;
                    using var request = new HttpRequestMessage(HttpMethod.Get, uri);
                    request.Headers.Accept.ParseAdd("application/json");
                    authorize(request);
                    calls?.Sent(retry: attempts++ > 0);
                    using var span = SyncTracing.Source.StartActivity("marketplace.request", System.Diagnostics.ActivityKind.Client);
                    span?.SetTag("http.request.method", "GET");
                    span?.SetTag("url.path", uri.AbsolutePath);
                    span?.SetTag("functionssync.marketplace", connection.Marketplace);
                    HttpResponseMessage r;
                    try
                    {
                        r = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, ctx.CancellationToken);
                    }
                    catch (Exception) when (!ctx.CancellationToken.IsCancellationRequested)
                    {
                        metrics.RecordRequest(connection.Marketplace, null);
                        span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error);
                        throw;
                    }

                    span?.SetTag("http.response.status_code", (int)r.StatusCode);
                    metrics.RecordRequest(connection.Marketplace, (int)r.StatusCode);
                    LogCall(connection.Marketplace, uri.AbsolutePath, (int)r.StatusCode);
                    if (r.StatusCode == HttpStatusCode.TooManyRequests)
                    {
                        throttledAt = time.GetUtcNow();
                        if (calls?.Throttled() == true)
                        {
                            LogThrottled(calls.RunId, connection.Marketplace, what);
                        }
                    }

                    var retryAfter = r.StatusCode == HttpStatusCode.TooManyRequests ? RetryAfter.From(r, time.GetUtcNow()) : null;
                    limiter?.Observe(Capacity(r), Level(r), PerSecond(r), retryAfter + ConnectionPipelines.RetryAfterMargin);
                    if (retryAfter > o.MaxRetryAfter)
                    {
                        r.Dispose();
                        throw new MarketplaceException(MarketplaceErrorKind.RateLimited, $"{what}: rate limited for {retryAfter.Value.TotalSeconds:0} s, longer than {o.MaxRetryAfter.TotalSeconds:0} s", 429);
                    }

                    return r;
                },
                context);
        }
        catch (BrokenCircuitException ex)
        {
            throw new MarketplaceException(MarketplaceErrorKind.Transient, $"{what}: circuit open after repeated failures of this connection; retry in {o.BreakerDuration.TotalSeconds:0} s", null, ex);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new MarketplaceException(MarketplaceErrorKind.Transient, $"{what}: no answer in time (attempt timeout {o.AttemptTimeout.TotalSeconds:0.#} s, total {o.TotalTimeout.TotalSeconds:0} s)", null, ex);
        }
        catch (HttpRequestException ex)
        {
            // The outbound policy's refusal names its reason; any other transport failure only that it failed (which
            // address answered how is not for the organization's key to probe).
            var reason = (ex as OutboundRefusedException ?? ex.InnerException as OutboundRefusedException) is { } refused ? refused.Message : $"could not connect ({ex.HttpRequestError})";
            throw new MarketplaceException(MarketplaceErrorKind.Transient, $"{what}: {reason}", null, ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                var reason = UpstreamReason.Of(response.StatusCode, body);
                throw response.StatusCode switch
                {
                    HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                        new MarketplaceException(MarketplaceErrorKind.Auth, $"{what}: credentials refused ({reason})", status),
                    HttpStatusCode.TooManyRequests =>
                        new MarketplaceException(MarketplaceErrorKind.RateLimited, $"{what}: still rate limited (429) after {o.MaxRateLimitRetries} retries", status),
                    _ when status >= 500 =>
                        new MarketplaceException(MarketplaceErrorKind.Transient, $"{what}: server error {status} after {o.MaxRetries + 1} attempts", status),
                    _ => new MarketplaceException(MarketplaceErrorKind.BadRequest, $"{what}: request refused ({reason})", status),
                };
            }

            try
            {
                return new MarketplaceResponse(JsonDocument.Parse(body), response.Headers);
            }
            catch (JsonException ex)
            {
                throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: malformed JSON ({status} answer, {response.Content.Headers.ContentType?.MediaType ?? "no content type"}, {body.Length} characters)", status, ex);
            }
        }
    }

    /// <summary>Shorter waits are the limiter's bookkeeping, not a rate limit holding the run back.</summary>
    private static readonly TimeSpan MinCountedWait = TimeSpan.FromMilliseconds(5);

    /// <summary>Per call, at Debug: the path only (query strings carry keys on some marketplaces).</summary>
    [LoggerMessage(4101, LogLevel.Debug, "{Marketplace} GET {Path} answered {Status}")]
    private partial void LogCall(string marketplace, string path, int status);

    [LoggerMessage(4102, LogLevel.Warning, "Run {RunId} is being throttled by {Marketplace} ({What} answered 429); it waits and retries")]
    private partial void LogThrottled(string runId, string marketplace, string what);

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.NonValidated.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static double? Number(string? value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;

    /// <summary>Shopify "used/size", Etsy x-limit-per-second.</summary>
    private static double? Capacity(HttpResponseMessage r) =>
        Header(r, "X-Shopify-Shop-Api-Call-Limit")?.Split('/') is [_, var size] ? Number(size) : Number(Header(r, "x-limit-per-second"));

    private static double? Level(HttpResponseMessage r)
    {
        if (Header(r, "X-Shopify-Shop-Api-Call-Limit")?.Split('/') is [var used, _])
        {
            return Number(used);
        }

        return Number(Header(r, "x-limit-per-second")) is { } limit && Number(Header(r, "x-remaining-this-second")) is { } remaining ? limit - remaining : null;
    }

    /// <summary>Amazon states its sustained rate on every response.</summary>
    private static double? PerSecond(HttpResponseMessage r) => Number(Header(r, "x-amzn-RateLimit-Limit"));
}
