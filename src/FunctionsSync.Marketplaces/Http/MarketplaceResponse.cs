using System.Net.Http.Headers;
using System.Text.Json;

namespace FunctionsSync.Marketplaces.Http;

/// <summary>A successful marketplace answer: parsed JSON and the headers (paging, totals, rate limits).</summary>
public sealed class MarketplaceResponse(JsonDocument json, HttpResponseHeaders headers) : IDisposable
{
    public JsonElement Root => json.RootElement;

    public HttpResponseHeaders Headers { get; } = headers;

    public string? Header(string name) =>
        Headers.NonValidated.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    public void Dispose() => json.Dispose();
}
