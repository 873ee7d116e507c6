using System.Globalization;
using System.Text;
using System.Text.Json;
using FunctionsSync.Core.Adapters;

namespace FunctionsSync.Marketplaces.Shopify;

/// <summary>
/// Rewrites a bulk result file so that every object is followed by its nested lines, whatever order Shopify wrote
/// them in. From Admin API 2026-01 <c>bulkOperationRunQuery(groupObjects:)</c> defaults to <c>false</c> and a child
/// line may come before its parent or anywhere after it
/// (<c>contracts/shopify/docs/changelog-bulk-groupObjects.md</c>, <c>docs/bulkOperationRunQuery.md</c>). Memory is
/// bounded by the parents' ids (one <see cref="long"/> and ordinal each) plus one bucket of lines: pass one numbers the
/// objects, pass two spreads every line into bucket files by its object's number, pass three sorts each bucket in turn
/// (object first, its nested lines by id) and appends it to the output. Parents keep the order of the file.
/// </summary>
internal static class ShopifyBulkGrouping
{
    /// <summary>Objects per bucket: with a few nested lines each, a bucket stays a few MB in memory.</summary>
    public const int ObjectsPerBucket = 4_096;

    /// <summary>Writes <paramref name="source"/> grouped into <paramref name="target"/>; answers the count of objects.</summary>
    public static async Task<long> GroupAsync(string source, Stream target, string scratch, string what, CancellationToken cancellationToken)
    {
        var ordinals = new Dictionary<long, int>();
        await foreach (var (line, number) in Lines(source, cancellationToken))
        {
            var (id, parent) = Ids(line, what, number);
            if (parent is null)
            {
                if (!ordinals.TryAdd(NumericTail(id, what, number), ordinals.Count))
                {
                    throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: object {id} appears twice (line {number})");
                }
            }
        }

        var objects = ordinals.Count;
        var buckets = (objects + ObjectsPerBucket - 1) / ObjectsPerBucket;
        if (Directory.Exists(scratch))
        {
            Directory.Delete(scratch, recursive: true);
        }

        Directory.CreateDirectory(scratch);
        var paths = Enumerable.Range(0, buckets).Select(b => Path.Combine(scratch, $"bucket-{b:D5}.txt")).ToArray();
        try
        {
            var writers = paths.Select(p => new StreamWriter(p, false, new UTF8Encoding(false), 1 << 14)).ToArray();
            try
            {
                await foreach (var (line, number) in Lines(source, cancellationToken))
                {
                    var (id, parent) = Ids(line, what, number);
                    var key = NumericTail(parent ?? id, what, number);
                    if (!ordinals.TryGetValue(key, out var ordinal))
                    {
                        throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: line {number} is nested in {parent}, which the file does not hold");
                    }

                    // ordinal, then the sort key within the object (-1 for the object itself, a nested line's own
                    // number), then the line itself.
                    var writer = writers[ordinal / ObjectsPerBucket];
                    var within = parent is null ? -1 : TryNumericTail(id) ?? long.MaxValue;
                    await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{ordinal} {within} {line}"));
                }
            }
            finally
            {
                foreach (var writer in writers)
                {
                    await writer.DisposeAsync();
                }
            }

            ordinals.Clear();
            ordinals.TrimExcess();
            await using var output = new StreamWriter(target, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
            foreach (var path in paths)
            {
                var entries = new List<(int Ordinal, long Within, int Seq, string Line)>();
                var seq = 0;
                await foreach (var (entry, _) in Lines(path, cancellationToken))
                {
                    var first = entry.IndexOf(' ');
                    var second = entry.IndexOf(' ', first + 1);
                    entries.Add((
                        int.Parse(entry.AsSpan(0, first), CultureInfo.InvariantCulture),
                        long.Parse(entry.AsSpan(first + 1, second - first - 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
                        seq++,
                        entry[(second + 1)..]));
                }

                // Nested lines in id order, the order a paged query returns them, so a record's content (and its hash)
                // does not depend on where Shopify happened to write its lines.
                entries.Sort((a, b) => a.Ordinal != b.Ordinal ? a.Ordinal.CompareTo(b.Ordinal) : a.Within != b.Within ? a.Within.CompareTo(b.Within) : a.Seq.CompareTo(b.Seq));
                foreach (var entry in entries)
                {
                    await output.WriteLineAsync(entry.Line);
                }

            }

            return objects;
        }
        finally
        {
            // A crash leaves the scratch folder behind; the next attempt starts it over.
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static async IAsyncEnumerable<(string Line, long Number)> Lines(string path, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, false, new FileStreamOptions { BufferSize = 1 << 16, Options = FileOptions.SequentialScan });
        long number = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            number++;
            if (line.Length > 0)
            {
                yield return (line, number);
            }
        }
    }

    /// <summary>The line's own <c>id</c> and its <c>__parentId</c> (top-level properties only).</summary>
    private static (string Id, string? Parent) Ids(string line, string what, long number)
    {
        string? id = null;
        string? parent = null;
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(line));
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
                {
                    var name = reader.GetString();
                    reader.Read();
                    if (name == "id" && reader.TokenType == JsonTokenType.String)
                    {
                        id = reader.GetString();
                    }
                    else if (name == "__parentId" && reader.TokenType == JsonTokenType.String)
                    {
                        parent = reader.GetString();
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
        }
        catch (JsonException ex)
        {
            throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: line {number} is not JSON", null, ex);
        }

        return id is null && parent is null
            ? throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: line {number} has neither an id nor a __parentId")
            : (id ?? "", parent);
    }

    /// <summary>The number a global id ends with (<c>gid://shopify/Product/123</c>): the objects of one file are of one type.</summary>
    private static long NumericTail(string gid, string what, long number) =>
        TryNumericTail(gid) ?? throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: line {number} names '{gid}', not a global id");

    private static long? TryNumericTail(string gid)
    {
        var tail = gid.AsSpan(gid.LastIndexOf('/') + 1);
        var query = tail.IndexOf('?');
        if (query >= 0)
        {
            tail = tail[..query];
        }

        return long.TryParse(tail, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
    }
}
