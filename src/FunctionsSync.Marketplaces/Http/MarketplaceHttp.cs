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

    /// <summary>The operation name of a file download (a pre-signed URL): retried like any call, never rate limited.</summary>
    public const string Download = "download";

    /// <summary>The operation name of calls paced by the marketplace's cost model (Shopify GraphQL), not by request count.</summary>
    public const string CostPaced = "cost-paced";

    /// <summary>Operations with no request-count limiter of their own.</summary>
    /// <summary>A marketplace's OAuth token endpoint: another service than its API, outside the API's budget.</summary>
    public const string OAuth = "oauth";

    public static bool IsUnpaced(string? operation) => operation is Download or CostPaced or OAuth;

    /// <summary>GETs JSON. <paramref name="what"/> names the call in errors, e.g. "shopify orders page".</summary>
    public Task<MarketplaceResponse> GetJsonAsync(Connection connection, Uri uri, Action<HttpRequestMessage> authorize, string what, CancellationToken cancellationToken) =>
        SendJsonAsync(connection, null, HttpMethod.Get, uri, null, authorize, what, cancellationToken);

    /// <summary>
    /// Sends a request (with a JSON body when <paramref name="json"/> is given) and reads a JSON answer, under the rate
    /// budget of <paramref name="operation"/> (null: the connection's one budget; see <see cref="ConnectionPipelines"/>).
    /// </summary>
    public async Task<MarketplaceResponse> SendJsonAsync(
        Connection connection, string? operation, HttpMethod method, Uri uri, string? json, Action<HttpRequestMessage> authorize, string what, CancellationToken cancellationToken)
    {
        Func<HttpContent>? content = json is null ? null : () => new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await SendAsync(connection, operation, method, uri, content, authorize, what, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var status = (int)response.StatusCode;
        ThrowIfFailed(response, body, what);
        try
        {
            return new MarketplaceResponse(JsonDocument.Parse(body), response.Headers);
        }
        catch (JsonException ex)
        {
            throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: malformed JSON ({status} answer, {response.Content.Headers.ContentType?.MediaType ?? "no content type"}, {body.Length} characters)", status, ex);
        }
    }

    /// <summary>
    /// POSTs a form (an OAuth token request) outside the API's rate budget, with the same retries of 5xx and 429;
    /// answers the final status and body, so the caller reads an OAuth error (<c>invalid_grant</c>) itself.
    /// </summary>
    public async Task<(int Status, string Body)> PostFormAsync(Connection connection, Uri uri, IReadOnlyDictionary<string, string> form, string what, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(connection, OAuth, HttpMethod.Post, uri, () => new FormUrlEncodedContent(form), _ => { }, what, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            ThrowIfFailed(response, body, what);
        }

        return ((int)response.StatusCode, body);
    }

    /// <summary>
    /// GETs a file and hands its body to <paramref name="consume"/> as it arrives (never buffered whole): retried until
    /// its headers arrive, then read within <see cref="MarketplaceHttpOptions.DownloadTimeout"/>. From byte
    /// <paramref name="from"/> on when it is above 0 (a Range request): <paramref name="consume"/> learns whether the
    /// server sent that part (206) or the whole file after all (200).
    /// </summary>
    public async Task DownloadAsync(Connection connection, Uri uri, long from, Func<Stream, bool, CancellationToken, Task> consume, string what, CancellationToken cancellationToken)
    {
        Action<HttpRequestMessage> range = from > 0 ? r => r.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(from, null) : _ => { };
        using var response = await SendAsync(connection, Download, HttpMethod.Get, uri, null, range, what, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            ThrowIfFailed(response, await response.Content.ReadAsStringAsync(cancellationToken), what);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.DownloadTimeout);
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
            await consume(body, response.StatusCode == HttpStatusCode.PartialContent, timeout.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MarketplaceException(MarketplaceErrorKind.Transient, $"{what}: not downloaded within {options.Value.DownloadTimeout.TotalMinutes:0} min", null, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new MarketplaceException(MarketplaceErrorKind.Transient, $"{what}: the download broke off ({ex.HttpRequestError})", null, ex);
        }
        catch (HttpIOException ex)
        {
            throw new MarketplaceException(MarketplaceErrorKind.Transient, $"{what}: the download broke off ({ex.HttpRequestError})", null, ex);
        }
        catch (IOException ex) when (ex.InnerException is System.Net.Sockets.SocketException socket)
        {
            throw new MarketplaceException(MarketplaceErrorKind.Transient, $"{what}: the download broke off ({socket.SocketErrorCode})", null, ex);
        }
    }

    /// <summary>
    /// Sends a request whose answer is a stream (MediPim's JSON Lines) under the connection's rate budget, and hands back
    /// the response once its headers arrive, for the caller to read as it comes and dispose. A failure status is thrown
    /// as any call's; a 204 (nothing matched) is returned as it is.
    /// </summary>
    public async Task<HttpResponseMessage> OpenStreamAsync(
        Connection connection, HttpMethod method, Uri uri, string json, Action<HttpRequestMessage> authorize, string what, CancellationToken cancellationToken)
    {
        var response = await SendAsync(connection, null, method, uri, () => new StringContent(json, System.Text.Encoding.UTF8, "application/json"), authorize, what,
            HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                ThrowIfFailed(response, await response.Content.ReadAsStringAsync(cancellationToken), what);
            }
        }

        return response;
    }

    private async Task<HttpResponseMessage> SendAsync(
        Connection connection, string? operation, HttpMethod method, Uri uri, Func<HttpContent>? content, Action<HttpRequestMessage> authorize, string what,
        HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var client = clients.CreateClient(ClientName);
        var (pipeline, limiter) = pipelines.For(connection, operation);
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
                    // Rate-limit waiting: the pipeline's wait for the budget (RateLimiterStage), plus the back-off since a
                    // 429 answered the attempt before.
                    var now = time.GetUtcNow();
                    var waited = now - (throttledAt ?? (ctx.Properties.TryGetValue(RateLimiterStage.WaitStartedAt, out var started) ? started : now));
                    if (waited > MinCountedWait)
                    {
                        calls?.Waited(waited);
                        metrics.RecordRateLimitWait(connection.Marketplace, waited);
                    }

                    throttledAt = null;
                    using var request = new HttpRequestMessage(method, uri);
                    request.Headers.Accept.ParseAdd("application/json");
                    if (content is not null)
                    {
                        request.Content = content();
                    }

                    authorize(request);
                    calls?.Sent(retry: attempts++ > 0);
                    using var span = SyncTracing.Source.StartActivity("marketplace.request", System.Diagnostics.ActivityKind.Client);
                    span?.SetTag("http.request.method", method.Method);
                    span?.SetTag("url.path", uri.AbsolutePath);
                    span?.SetTag("functionssync.marketplace", connection.Marketplace);
                    HttpResponseMessage r;
                    try
                    {
                        r = await client.SendAsync(request, completion, ctx.CancellationToken);
                    }
                    catch (Exception) when (!ctx.CancellationToken.IsCancellationRequested)
                    {
                        metrics.RecordRequest(connection.Marketplace, null);
                        span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error);
                        throw;
                    }

                    span?.SetTag("http.response.status_code", (int)r.StatusCode);
                    metrics.RecordRequest(connection.Marketplace, (int)r.StatusCode);
                    LogCall(connection.Marketplace, method.Method, uri.AbsolutePath, (int)r.StatusCode);
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

        return response;
    }

    private void ThrowIfFailed(HttpResponseMessage response, string body, string what)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var o = options.Value;
        var status = (int)response.StatusCode;
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

    /// <summary>Shorter waits are the limiter's bookkeeping, not a rate limit holding the run back.</summary>
    private static readonly TimeSpan MinCountedWait = TimeSpan.FromMilliseconds(5);

    /// <summary>Per call, at Debug: the path only (query strings carry keys on some marketplaces).</summary>
    [LoggerMessage(4101, LogLevel.Debug, "{Marketplace} {Method} {Path} answered {Status}")]
    private partial void LogCall(string marketplace, string method, string path, int status);

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
