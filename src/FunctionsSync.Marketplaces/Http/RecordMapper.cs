using System.Text.Json;
using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Records;

namespace FunctionsSync.Marketplaces.Http;

/// <summary>
/// Maps a page's wire records one by one, so one bad record is rejected with its reason and the rest go on; items
/// <c>include</c> turns down (read on the page before) are left out.
/// </summary>
public static class RecordMapper
{
    public static (List<CanonicalRecord> Records, List<RejectedRecord> Rejected) Map(
        JsonElement items,
        string what,
        Func<JsonElement, IEnumerable<CanonicalRecord>> map,
        Func<JsonElement, string?> idOf,
        Func<JsonElement, DateTimeOffset?> updatedAtOf,
        Func<JsonElement, bool>? include = null)
    {
        if (items.ValueKind != JsonValueKind.Array)
        {
            throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: expected a JSON array of records, got {items.ValueKind}");
        }

        return Map(items.EnumerateArray(), what, map, idOf, updatedAtOf, include);
    }

    /// <summary>The same over records read one by one (a file's lines).</summary>
    public static (List<CanonicalRecord> Records, List<RejectedRecord> Rejected) Map<T>(
        IEnumerable<T> items,
        string what,
        Func<T, IEnumerable<CanonicalRecord>> map,
        Func<T, string?> idOf,
        Func<T, DateTimeOffset?> updatedAtOf,
        Func<T, bool>? include = null)
    {
        var records = new List<CanonicalRecord>();
        var rejected = new List<RejectedRecord>();
        foreach (var item in items)
        {
            if (include is not null && !include(item))
            {
                continue;
            }

            try
            {
                records.AddRange(map(item));
            }
            catch (RecordFieldException ex)
            {
                var id = Safe(() => idOf(item));
                rejected.Add(new RejectedRecord(id, Safe(() => updatedAtOf(item)), $"{what} record {id ?? "(no id)"}: {ex.Message}"));
            }
        }

        return (records, rejected);
    }

    /// <summary>A field read that yields the default instead of failing on a malformed record.</summary>
    public static T? Safe<T>(Func<T?> read)
    {
        try
        {
            return read();
        }
        catch (RecordFieldException)
        {
            return default;
        }
    }
}
