using System.Globalization;

namespace FunctionsSync.Marketplaces.Odoo;

/// <summary>
/// A keyset position in an Odoo feed: after the record (<see cref="WriteDate"/>, <see cref="LastId"/>) in an
/// incremental read ordered <c>write_date asc, id asc</c>, or after <see cref="LastId"/> in a full read ordered
/// <c>id asc</c>; <see cref="Phase"/> numbers the models a feed reads one after another (prices: the products' list
/// prices, then the pricelist items).
/// </summary>
public sealed record OdooPageToken(int Phase, string? WriteDate, long LastId)
{
    private const string Prefix = "od1";

    public string Encode() => string.Join('|', Prefix, Phase.ToString(CultureInfo.InvariantCulture), WriteDate ?? "", LastId.ToString(CultureInfo.InvariantCulture));

    /// <exception cref="FormatException">Not a token of this adapter.</exception>
    public static OdooPageToken Decode(string token)
    {
        var parts = token.Split('|');
        if (parts.Length != 4 || parts[0] != Prefix
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var phase)
            || !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var lastId))
        {
            throw new FormatException($"Invalid page token '{token}'.");
        }

        return new OdooPageToken(phase, parts[2].Length > 0 ? parts[2] : null, lastId);
    }
}
