using System.Globalization;

namespace FunctionsSync.Core.Connections;

/// <summary>The one refresher of a connection's tokens at a time: who (a fresh id per attempt) and until when.</summary>
public sealed record RefreshClaim(string Owner, DateTimeOffset Until)
{
    public bool IsHeld(DateTimeOffset now) => Until > now;

    public override string ToString() => $"{Owner}|{Until.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}";

    public static RefreshClaim? Parse(string? text) =>
        text?.Split('|') is [var owner, var until] && long.TryParse(until, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms)
            ? new RefreshClaim(owner, DateTimeOffset.FromUnixTimeMilliseconds(ms))
            : null;
}
