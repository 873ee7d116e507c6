using System.Globalization;

namespace FunctionsSync.Marketplaces.Shopify;

/// <summary>
/// Where a full sync through a bulk query stands, as the page token the run checkpoints: the query to start, the
/// operation being run (<see cref="Operation"/>, since <see cref="Started"/>; <see cref="Attempts"/> broken downloads
/// of its file so far), its file being read from a byte offset, or the paged feed that replaced it (<see cref="Inner"/>).
/// <see cref="Roots"/> is the completed operation's <c>rootObjectCount</c>, which the file's reading is held to.
/// </summary>
internal sealed record ShopifyBulkToken(ShopifyBulkStage Stage, DateTimeOffset Started, string Operation = "", long Offset = 0, int Attempts = 0, string Inner = "", long? Roots = null)
{
    private const string Prefix = "sb1";

    public static bool IsOne(string? token) => token?.StartsWith(Prefix + "|", StringComparison.Ordinal) == true;

    public string Encode() => string.Join('|', Prefix, ((int)Stage).ToString(CultureInfo.InvariantCulture), Started.UtcTicks.ToString(CultureInfo.InvariantCulture),
        Uri.EscapeDataString(Operation), Offset.ToString(CultureInfo.InvariantCulture), Attempts.ToString(CultureInfo.InvariantCulture), Uri.EscapeDataString(Inner),
        Roots?.ToString(CultureInfo.InvariantCulture) ?? "");

    public static bool TryDecode(string token, out ShopifyBulkToken decoded)
    {
        decoded = null!;
        // A token checkpointed before the count was kept has seven parts: its file is read unchecked.
        var parts = token.Split('|');
        if (parts is not [Prefix, var stage, var started, var operation, var offset, var attempts, var inner, ..] || parts.Length > 8
            || !int.TryParse(stage, NumberStyles.None, CultureInfo.InvariantCulture, out var s) || !Enum.IsDefined((ShopifyBulkStage)s)
            || !long.TryParse(started, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) || ticks > DateTimeOffset.MaxValue.UtcTicks
            || !long.TryParse(offset, NumberStyles.None, CultureInfo.InvariantCulture, out var at)
            || !int.TryParse(attempts, NumberStyles.None, CultureInfo.InvariantCulture, out var tries))
        {
            return false;
        }

        long? roots = null;
        if (parts.Length == 8 && parts[7].Length > 0)
        {
            if (!long.TryParse(parts[7], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                return false;
            }

            roots = count;
        }

        decoded = new ShopifyBulkToken((ShopifyBulkStage)s, new DateTimeOffset(ticks, TimeSpan.Zero), Uri.UnescapeDataString(operation), at, tries, Uri.UnescapeDataString(inner), roots);
        return true;
    }
}

internal enum ShopifyBulkStage
{
    /// <summary>The bulk query is to be started (another one of the shop may still be running).</summary>
    Start = 0,

    /// <summary>Waiting for the operation, then downloading its file.</summary>
    Poll = 1,

    /// <summary>Reading its file from <see cref="ShopifyBulkToken.Offset"/>.</summary>
    Read = 2,

    /// <summary>The bulk query failed or ran too long: paged queries (<see cref="ShopifyBulkToken.Inner"/>, empty at first).</summary>
    Paged = 3,
}
