using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Receipts;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Marketplaces.Receipts;

/// <summary>
/// Validates receipts with <c>POST {ValidatorUrl}</c> (Basic auth, body <c>{receipt}</c>): 200 with <c>status: true</c>
/// and the order, 200 with <c>status: false</c> for a receipt the marketplace rejects, 429 when rate limited.
/// No retries here: the receipt worker owns the retry schedule.
/// </summary>
public sealed class HttpReceiptValidator(IHttpClientFactory http, IOptions<ReceiptOptions> options) : IReceiptValidator
{
    public const string ClientName = "FunctionsSync.Receipts";

    public async Task<ReceiptCheck> ValidateAsync(Connection connection, string receipt, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var url = settings.ValidatorUrl.Replace("{marketplace}", Uri.EscapeDataString(connection.Marketplace), StringComparison.Ordinal);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(new { receipt }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.ValidatorUser}:{settings.ValidatorPassword}")));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.RequestTimeout);
        try
        {
            using var response = await http.CreateClient(ClientName).SendAsync(request, timeout.Token);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return new ReceiptCheck(ReceiptCheckKind.RateLimited);
            }

            if (!response.IsSuccessStatusCode)
            {
                return new ReceiptCheck(ReceiptCheckKind.Error, Error: $"The validator answered {(int)response.StatusCode} for {connection.Marketplace}.");
            }

            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(timeout.Token));
            var root = body.RootElement;
            if (!root.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.True)
            {
                return new ReceiptCheck(ReceiptCheckKind.Invalid, Error: "The marketplace says the receipt is not valid.");
            }

            return new ReceiptCheck(
                ReceiptCheckKind.Valid,
                Text(root, "orderId"),
                decimal.TryParse(Text(root, "amount"), NumberStyles.Number, CultureInfo.InvariantCulture, out var amount) ? amount : null,
                Text(root, "currency"),
                DateTimeOffset.TryParse(Text(root, "importedAtUTC"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ReceiptCheck(ReceiptCheckKind.Error, Error: $"The validator did not answer within {settings.RequestTimeout.TotalSeconds:0.#} s.");
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException)
        {
            return new ReceiptCheck(ReceiptCheckKind.Error, Error: $"The validation failed: {ex.Message}");
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.ToString() : null;
}
