using System.Globalization;

namespace FunctionsSync.Marketplaces.Amazon;

/// <summary>
/// Where a full sync from reports stands, as the page token the run checkpoints: the window of history being read
/// (<see cref="Start"/>..<see cref="End"/>, the feed ending at <see cref="Final"/>), and in it a report to create, a
/// report being made, a document being read from a byte offset, or getOrders pages (when a report failed).
/// </summary>
internal sealed record AmazonReportToken(AmazonReportStage Stage, DateTimeOffset Start, DateTimeOffset End, DateTimeOffset Final, string Reference = "", long Offset = 0)
{
    private const string Prefix = "ar1";

    public bool IsLastWindow => End >= Final;

    public static bool IsOne(string? token) => token?.StartsWith(Prefix + "|", StringComparison.Ordinal) == true;

    public string Encode() =>
        string.Join('|', Prefix, ((int)Stage).ToString(CultureInfo.InvariantCulture), Start.UtcTicks.ToString(CultureInfo.InvariantCulture),
            End.UtcTicks.ToString(CultureInfo.InvariantCulture), Final.UtcTicks.ToString(CultureInfo.InvariantCulture), Uri.EscapeDataString(Reference),
            Offset.ToString(CultureInfo.InvariantCulture));

    public static bool TryDecode(string token, out AmazonReportToken decoded)
    {
        decoded = null!;
        var parts = token.Split('|');
        if (parts is not [Prefix, var stage, var start, var end, var final, var reference, var offset]
            || !int.TryParse(stage, NumberStyles.None, CultureInfo.InvariantCulture, out var s) || !Enum.IsDefined((AmazonReportStage)s)
            || !TryTicks(start, out var from) || !TryTicks(end, out var to) || !TryTicks(final, out var last)
            || !long.TryParse(offset, NumberStyles.None, CultureInfo.InvariantCulture, out var at)
            || from > to || to > last)
        {
            return false;
        }

        decoded = new AmazonReportToken((AmazonReportStage)s, from, to, last, Uri.UnescapeDataString(reference), at);
        return true;
    }

    private static bool TryTicks(string text, out DateTimeOffset value)
    {
        value = default;
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        value = new DateTimeOffset(ticks, TimeSpan.Zero);
        return true;
    }
}

internal enum AmazonReportStage
{
    /// <summary>The window's report is to be requested.</summary>
    Create = 0,

    /// <summary>Waiting for the report (<see cref="AmazonReportToken.Reference"/> = report id).</summary>
    Poll = 1,

    /// <summary>Reading its document (<see cref="AmazonReportToken.Reference"/> = document id) from <see cref="AmazonReportToken.Offset"/>.</summary>
    Read = 2,

    /// <summary>The report failed: the window is read with getOrders (<see cref="AmazonReportToken.Reference"/> = its NextToken, empty at first).</summary>
    Orders = 3,
}
