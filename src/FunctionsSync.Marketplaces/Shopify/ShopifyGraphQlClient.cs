using System.Text.Json;
using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Telemetry;
using FunctionsSync.Marketplaces.Http;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Marketplaces.Shopify;

/// <summary>
/// Shopify's GraphQL Admin API: each query waits for its requested cost in the connection's
/// <see cref="ShopifyCostBudget"/>, whose estimate every answer's <c>extensions.cost.throttleStatus</c> corrects; a
/// <c>THROTTLED</c> answer (another client of the shop spent the bucket) waits what the shop says is missing and asks
/// again; any other error is the query's, named in the run's error.
/// </summary>
public sealed class ShopifyGraphQlClient(MarketplaceHttp http, ShopifyCostBudgets budgets, IOptions<ShopifyOptions> options)
{
    private const int MaxThrottledRetries = 10;

    /// <summary>The Admin API version the connection's calls name: its <c>apiVersion</c> setting, else the configured one.</summary>
    public string VersionOf(Connection connection) => ShopifySettings.Of(connection).ApiVersion ?? options.Value.ApiVersion;

    /// <summary>Runs <paramref name="query"/>; answers its <c>data</c>. <paramref name="cost"/>: what it may cost at most.</summary>
    public async Task<JsonDocument> QueryAsync(Connection connection, string query, object? variables, double cost, string what, CancellationToken cancellationToken)
    {
        var budget = budgets.For(connection.Id);
        var version = VersionOf(connection);
        var url = new Uri($"{ShopifyRestApi.BaseUrl(connection)}/admin/api/{version}/graphql.json");
        var body = JsonSerializer.Serialize(new { query, variables });
        for (var attempt = 0; ; attempt++)
        {
            await budget.ReserveAsync(cost, cancellationToken);
            MarketplaceResponse response;
            try
            {
                response = await http.SendJsonAsync(connection, MarketplaceHttp.CostPaced, HttpMethod.Post, url, body, ShopifyRestApi.Authorize(connection), what, cancellationToken);
            }
            catch
            {
                budget.Release(cost);
                throw;
            }

            using (response)
            {
                var root = response.Root;
                if (root.Opt("extensions")?.Opt("cost")?.Opt("throttleStatus") is { } status
                    && status.OptDecimal("maximumAvailable") is { } maximum && status.OptDecimal("currentlyAvailable") is { } available && status.OptDecimal("restoreRate") is { } restore)
                {
                    budget.Observe(cost, (double)maximum, (double)available, (double)restore);
                }
                else
                {
                    budget.Release(cost);
                }

                if (root.Opt("errors") is { ValueKind: JsonValueKind.Array } errors && errors.GetArrayLength() > 0)
                {
                    var first = errors[0];
                    var code = first.Opt("extensions")?.OptStr("code");
                    if (code == "THROTTLED" && attempt < MaxThrottledRetries)
                    {
                        MarketplaceCallScope.Current?.Throttled();
                        continue;
                    }

                    var message = first.OptStr("message") ?? "error";
                    throw new MarketplaceException(
                        code == "THROTTLED" ? MarketplaceErrorKind.RateLimited : MarketplaceErrorKind.BadRequest,
                        $"{what}: {(code is null ? "" : code + ": ")}{(message.Length > 200 ? message[..200] + "…" : message)}");
                }

                if (root.Opt("data") is not { ValueKind: JsonValueKind.Object } data)
                {
                    throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: the answer has no 'data'");
                }

                return JsonDocument.Parse(data.GetRawText());
            }
        }
    }
}
