using System.Globalization;

namespace FunctionsSync.Marketplaces.Http;

internal static class RetryAfter
{
    /// <summary>Reads Retry-After as seconds (Shopify sends fractions such as "2.0") or an HTTP date.</summary>
    public static TimeSpan? From(HttpResponseMessage response, DateTimeOffset now)
    {
        if (!response.Headers.NonValidated.TryGetValues("Retry-After", out var values))
        {
            return null;
        }

        var raw = values.FirstOrDefault()?.Trim();
        if (double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) && at > now ? at - now : TimeSpan.Zero;
    }
}
