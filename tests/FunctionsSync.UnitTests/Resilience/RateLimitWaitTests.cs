using System.Net;
using FunctionsSync.Core.Connections;
using FunctionsSync.Marketplaces.Http;
using FunctionsSync.Marketplaces.Resilience;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace FunctionsSync.UnitTests.Resilience;

/// <summary>
/// A wait for the connection's rate budget is not a fault: a wait longer than the attempt timeout sends the request
/// when the budget allows, never fails as "no answer in time", and the circuit breaker never sees it.
/// </summary>
public sealed class RateLimitWaitTests
{
    [Fact]
    public async Task A_rate_budget_wait_longer_than_the_attempt_timeout_is_not_a_timeout()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-06T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var options = Options.Create(new MarketplaceHttpOptions
        {
            AttemptTimeout = TimeSpan.FromSeconds(1),
            // No retry would hide a timeout: the first one fails the call.
            MaxRetries = 0,
            RateLimitSafetyFactor = 1,
        });
        var handler = new CountingHandler();
        var factory = new Mock<IHttpClientFactory>();
        factory.Setup(f => f.CreateClient(It.IsAny<string>())).Returns(() => new HttpClient(handler, disposeHandler: false));
        var http = new MarketplaceHttp(factory.Object, new ConnectionPipelines(options, time), TestMetrics.Create(), options, time, NullLogger<MarketplaceHttp>.Instance);
        // One request, then one every 10 s: Amazon-like, a wait ten times the attempt timeout.
        var connection = new Connection
        {
            Id = "c-budget", OrganizationId = "o", Marketplace = MarketplaceNames.Amazon, ExternalStoreId = "s", Name = "n", SyncTokenHash = "t",
            Settings = new Dictionary<string, string> { ["rateLimitCapacity"] = "1", ["rateLimitPerSecond"] = "0.1" },
        };
        var uri = new Uri("https://sellingpartnerapi-eu.amazon.com/orders/2026-01-01/orders");

        using (await http.GetJsonAsync(connection, uri, _ => { }, "amazon orders page", CancellationToken.None))
        {
        }

        var asked = time.GetUtcNow();
        var second = http.GetJsonAsync(connection, uri, _ => { }, "amazon orders page", CancellationToken.None);
        // The fake clock moves a tenth of a second at a time until the call ends (at most two minutes of it).
        for (var step = 0; step < 1_200 && !second.IsCompleted; step++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Yield();
            await Task.Delay(1, CancellationToken.None);
        }

        using var answer = await second;
        Assert.Equal(2, handler.Requests);
        // Sent once the budget allowed it (10 s after the first), not sooner.
        Assert.InRange(time.GetUtcNow() - asked, TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(12));
    }

    private sealed class CountingHandler : HttpMessageHandler
    {
        public int Requests { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests++;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") });
        }
    }
}
