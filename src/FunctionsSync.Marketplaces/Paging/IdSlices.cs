using System.Globalization;
using FunctionsSync.Core.Adapters;

namespace FunctionsSync.Marketplaces.Paging;

/// <summary>
/// A read of named records (<see cref="FetchRequest.Ids"/>) in slices of what one request takes: the page token is the
/// position in the list (<c>i{offset}</c>), so a resumed run reads on from the slice after its last checkpoint.
/// </summary>
public static class IdSlices
{
    private const string Prefix = "i";

    public static bool IsOne(string? token) => token?.StartsWith(Prefix, StringComparison.Ordinal) == true;

    /// <summary>The slice <paramref name="token"/> points at (the first without one), and the token of the next; null at the end.</summary>
    public static (IReadOnlyList<string> Slice, string? Next) Take(string marketplace, IReadOnlyList<string> ids, string? token, int size)
    {
        var offset = 0;
        if (token is not null && (!IsOne(token) || !int.TryParse(token.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out offset) || offset > ids.Count))
        {
            throw Http.AdapterSupport.BadToken(marketplace, token);
        }

        var slice = ids.Skip(offset).Take(size).ToList();
        var next = offset + slice.Count;
        return (slice, next < ids.Count ? Prefix + next.ToString(CultureInfo.InvariantCulture) : null);
    }
}
