using System.Net;
using System.Text.Json;
using FunctionsSync.Core.Adapters;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace FunctionsSync.Marketplaces.Http;

/// <summary>
/// Sends marketplace requests through a retry pipeline (429, 5xx, timeouts; exponential backoff with jitter; Retry-After
/// honoured) and turns what cannot be used into a <see cref="MarketplaceException"/> with a reason fit for an operator.
/// </summary>
public sealed class MarketplaceHttp
{
    public const string ClientName = "FunctionsSync.Marketplaces";

    private readonly IHttpClientFactory clients;
    private readonly TimeProvider time;
    private readonly MarketplaceHttpOptions options;
    private readonly ResiliencePipeline<HttpResponseMessage> pipeline;

    public MarketplaceHttp(IHttpClientFactory clients, IOptions<MarketplaceHttpOptions> options, TimeProvider time)
    {
        this.clients = clients;
        this.time = time;
        this.options = options.Value;
        pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = Math.Max(1, this.options.MaxRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = this.options.BaseDelay,
                MaxDelay = this.options.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(this.options.MaxRetries > 0 && IsTransient(args.Outcome)),
                DelayGenerator = args =>
                {
                    // The marketplace's own wait beats our backoff; a wait longer than we are willing to sit through
                    // stops retrying (the run ends rate limited and the next one resumes).
                    var wait = args.Outcome.Result is { } response ? RetryAfter.From(response, this.time.GetUtcNow()) : null;
                    return ValueTask.FromResult(wait);
                },
            })
            .AddTimeout(this.options.AttemptTimeout)
            .Build();
    }

    /// <summary>GETs JSON. <paramref name="what"/> names the call in errors, e.g. "shopify orders page".</summary>
    public async Task<MarketplaceResponse> GetJsonAsync(Uri uri, Action<HttpRequestMessage> authorize, string what, CancellationToken cancellationToken)
    {
        var client = clients.CreateClient(ClientName);
        HttpResponseMessage response;
        try
        {
            response = await pipeline.ExecuteAsync(
                async ct =>
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, uri);
                    request.Headers.Accept.ParseAdd("application/json");
                    authorize(request);
                    var r = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
                    if (r.StatusCode == HttpStatusCode.TooManyRequests && RetryAfter.From(r, time.GetUtcNow()) > options.MaxRetryAfter)
                    {
                        throw new MarketplaceException(MarketplaceErrorKind.RateLimited, $"{what}: rate limited for longer than {options.MaxRetryAfter}", 429);
                    }

                    return r;
                },
                cancellationToken);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new MarketplaceException(MarketplaceErrorKind.Transient, $"{what}: no answer within {options.AttemptTimeout.TotalSeconds:0.#} s after {options.MaxRetries + 1} attempts", null, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new MarketplaceException(MarketplaceErrorKind.Transient, $"{what}: {ex.Message}", null, ex);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                var snippet = body.Length > 200 ? body[..200] + "…" : body;
                throw response.StatusCode switch
                {
                    HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                        new MarketplaceException(MarketplaceErrorKind.Auth, $"{what}: credentials refused ({status}): {snippet}", status),
                    HttpStatusCode.TooManyRequests =>
                        new MarketplaceException(MarketplaceErrorKind.RateLimited, $"{what}: still rate limited (429) after {options.MaxRetries + 1} attempts", status),
                    _ when status >= 500 =>
                        new MarketplaceException(MarketplaceErrorKind.Transient, $"{what}: server error {status} after {options.MaxRetries + 1} attempts", status),
                    _ => new MarketplaceException(MarketplaceErrorKind.BadRequest, $"{what}: request refused ({status}): {snippet}", status),
                };
            }

            try
            {
                return new MarketplaceResponse(JsonDocument.Parse(body), response.Headers);
            }
            catch (JsonException ex)
            {
                throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: malformed JSON ({ex.Message})", status, ex);
            }
        }
    }

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } r } => r.StatusCode == HttpStatusCode.TooManyRequests || (int)r.StatusCode >= 500,
        _ => false,
    };
}
