using System.Globalization;

namespace FunctionsSync.Core.Events;

/// <summary>
/// Event ids are <c>{hour bucket yyyyMMddHH}-{UTC ticks, 19 digits}-{8 hex}</c>: they sort by time as strings, name the
/// hour partition their row lives in, and a time alone gives a position (<see cref="At"/>) to read after.
/// </summary>
public static class LiveEventIds
{
    private const string BucketFormat = "yyyyMMddHH";

    /// <summary>The position just before anything written at or after <paramref name="at"/>.</summary>
    public static string At(DateTimeOffset at) => $"{Bucket(at)}-{at.UtcTicks:D19}";

    public static string New(long ticks) =>
        $"{Bucket(new DateTimeOffset(ticks, TimeSpan.Zero))}-{ticks:D19}-{Random.Shared.Next():x8}";

    public static string Bucket(DateTimeOffset at) => at.UtcDateTime.ToString(BucketFormat, CultureInfo.InvariantCulture);

    /// <summary>Accepts what this service handed out (and the bare positions <see cref="At"/> makes).</summary>
    public static bool TryParse(string? id, out DateTimeOffset at)
    {
        at = default;
        if (id is null || id.Length < 30 || id.Length > 40 || id[10] != '-')
        {
            return false;
        }

        if (!DateTime.TryParseExact(id[..10], BucketFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out _)
            || !long.TryParse(id.AsSpan(11, 19), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        at = new DateTimeOffset(ticks, TimeSpan.Zero);
        return Bucket(at) == id[..10] && (id.Length == 30 || (id.Length == 39 && id[30] == '-' && id[31..].All(char.IsAsciiHexDigitLower)));
    }
}
