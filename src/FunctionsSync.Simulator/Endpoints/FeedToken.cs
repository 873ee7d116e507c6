using System.Text;
using FunctionsSync.Simulator.Data;

namespace FunctionsSync.Simulator.Endpoints;

/// <summary>
/// Cursor tokens (Shopify page_info, Amazon NextToken) carry the query and the keyset position, so paging is stable
/// while records change: a record changed mid-walk moves to the end of the feed instead of shifting pages.
/// </summary>
internal static class FeedToken
{
    public static string Encode(FeedQuery query, SimRef last) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Join('|',
            query.Min?.UtcTicks.ToString() ?? "", query.MinExclusive ? "1" : "0", query.Max?.UtcTicks.ToString() ?? "", last.UpdatedAt.UtcTicks, last.Index,
            query.Ids is { } ids ? string.Join(',', ids) : "-")))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string token, out FeedQuery query)
    {
        query = null!;
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(base64)).Split('|');
            if (parts.Length is not (5 or 6))
            {
                return false;
            }

            query = new FeedQuery(
                parts[0] == "" ? null : new DateTimeOffset(long.Parse(parts[0]), TimeSpan.Zero),
                parts[1] == "1",
                parts[2] == "" ? null : new DateTimeOffset(long.Parse(parts[2]), TimeSpan.Zero),
                long.Parse(parts[3]),
                int.Parse(parts[4]),
                parts.Length == 6 && parts[5] != "-" ? [.. parts[5].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse)] : null);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
