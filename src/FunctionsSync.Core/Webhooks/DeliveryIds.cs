using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace FunctionsSync.Core.Webhooks;

/// <summary>Ids of endpoints (<c>wh_…</c>), events (<c>evt_…</c>) and deliveries (<c>{endpointId}.{eventId}</c>).</summary>
public static class DeliveryIds
{
    public static string NewEndpointId() => "wh_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    /// <summary>An event id derived from what the event reports, so reporting it again yields the same id.</summary>
    public static string EventIdFor(string source) =>
        "evt_" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(source)))[..32];

    public static string Format(string endpointId, string eventId) => $"{endpointId}.{eventId}";

    public static bool TryParse(string? deliveryId, [NotNullWhen(true)] out string? endpointId, [NotNullWhen(true)] out string? eventId)
    {
        endpointId = eventId = null;
        var parts = deliveryId?.Split('.') ?? [];
        if (parts.Length != 2 || !IsId(parts[0], "wh_") || !IsId(parts[1], "evt_"))
        {
            return false;
        }

        (endpointId, eventId) = (parts[0], parts[1]);
        return true;
    }

    public static bool IsEndpointId(string? value) => IsId(value, "wh_");

    private static bool IsId(string? value, string prefix) =>
        value is { Length: > 4 and <= 64 } && value.StartsWith(prefix, StringComparison.Ordinal) && value[prefix.Length..].All(char.IsAsciiHexDigitLower);
}
