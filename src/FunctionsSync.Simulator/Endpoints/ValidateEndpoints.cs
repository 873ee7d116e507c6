using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FunctionsSync.Simulator.Data;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Simulator.Endpoints;

/// <summary>
/// The receipt check <c>POST /mock/{marketplace}/validate</c>: 429 when the receipt's last two digits sum to a multiple
/// of 6; otherwise valid when its last character is an odd digit.
/// </summary>
internal static class ValidateEndpoints
{
    private static readonly string[] Supported = ["etsy", "shopify", "amazon"];

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/mock/{marketplace}/validate", (HttpContext http, SimulatorState state, IOptions<SimulatorOptions> options, string marketplace, ValidateRequest? body) =>
        {
            if (!Supported.Contains(marketplace))
            {
                return Results.Json(new { error = "unknown_marketplace" }, statusCode: StatusCodes.Status404NotFound);
            }

            if (!Authorized(http.Request, options.Value))
            {
                http.Response.Headers.WWWAuthenticate = "Basic realm=\"validate\"";
                return Results.Json(new { error = "unauthorized" }, statusCode: StatusCodes.Status401Unauthorized);
            }

            if (body?.Receipt is not { Length: > 0 } receipt)
            {
                return Results.Json(new { error = "receipt is required" }, statusCode: StatusCodes.Status400BadRequest);
            }

            state.CountValidation(receipt);
            return Evaluate(receipt, body.Currency ?? "USD", state.Time.GetUtcNow());
        });

    public static IResult Evaluate(string receipt, string currency, DateTimeOffset now)
    {
        if (receipt.Length >= 2 && char.IsAsciiDigit(receipt[^1]) && char.IsAsciiDigit(receipt[^2])
            && ((receipt[^1] - '0') + (receipt[^2] - '0')) % 6 == 0)
        {
            return Results.Json(new { error = "rate_limited" }, statusCode: StatusCodes.Status429TooManyRequests);
        }

        if (char.IsAsciiDigit(receipt[^1]) && (receipt[^1] - '0') % 2 == 1)
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(receipt));
            var cents = 500 + BitConverter.ToUInt32(hash, 0) % 50_000;
            return Results.Json(new
            {
                status = true,
                orderId = "ORD-" + Convert.ToHexString(hash, 0, 6),
                amount = (cents / 100m).ToString("0.00", CultureInfo.InvariantCulture),
                currency,
                importedAtUTC = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            });
        }

        return Results.Json(new { status = false });
    }

    private static bool Authorized(HttpRequest request, SimulatorOptions options)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim())) == $"{options.ValidateUser}:{options.ValidatePassword}";
        }
        catch (FormatException)
        {
            return false;
        }
    }

    internal sealed record ValidateRequest(string? Receipt, string? Currency);
}
