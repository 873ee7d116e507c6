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
/// (object first, its nested lines by id) and appends it to the output. Parents keep the order of the file. A file
/// that pass one finds grouped already (each object's lines right after it, in id order) is copied as it is.
/// Synchronous file I/O on one thread: a line at a time through buffered streams is many times faster than awaiting each.
/// </summary>
internal static class ShopifyBulkGrouping
{
    /// <summary>Objects per bucket: with a few nested lines each, a bucket stays a few MB in memory.</summary>
    public const int ObjectsPerBucket = 4_096;

    private const int BufferSize = 1 << 16;

    /// <summary>Writes <paramref name="source"/> grouped into <paramref name="target"/>; answers the count of objects.</summary>
    public static Task<long> GroupAsync(string source, Stream target, string scratch, string what, CancellationToken cancellationToken) =>
        Task.Run(() => Group(source, target, scratch, what, cancellationToken), cancellationToken);

    private static long Group(string source, Stream target, string scratch, string what, CancellationToken cancellationToken)
    {
        var ids = new LineIds(what);
        var ordinals = new Dictionary<long, int>();
        var grouped = true;
        long? lastObject = null;
        var lastNested = long.MinValue;
        foreach (var (line, number) in Lines(source, cancellationToken))
        {
            var (id, parent) = ids.Read(line, number);
            if (parent is null)
            {
                var key = NumericTail(id, what, number);
                if (!ordinals.TryAdd(key, ordinals.Count))
                {
                    throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: object {id} appears twice (line {number})");
                }

                (lastObject, lastNested) = (key, long.MinValue);
            }
            else
            {
                var nested = TryNumericTail(id) ?? long.MaxValue;
                grouped &= NumericTail(parent, what, number) == lastObject && nested >= lastNested;
                lastNested = nested;
            }
        }

        if (grouped)
        {
            using var file = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan);
            file.CopyTo(target);
            return ordinals.Count;
        }

        var objects = ordinals.Count;
        var buckets = (objects + ObjectsPerBucket - 1) / ObjectsPerBucket;
        if (Directory.Exists(scratch))
        {
            Directory.Delete(scratch, recursive: true);
        }

        Directory.CreateDirectory(scratch);
        try
        {
            var paths = Enumerable.Range(0, buckets).Select(b => Path.Combine(scratch, $"bucket-{b:D5}.txt")).ToArray();
            Spread(source, paths, ordinals, ids, what, cancellationToken);
            ordinals.Clear();
            ordinals.TrimExcess();
            using var output = new StreamWriter(target, new UTF8Encoding(false), BufferSize, leaveOpen: true) { NewLine = "\n" };
            foreach (var path in paths)
            {
                SortBucket(path, output, cancellationToken);
            }

            return objects;
        }
        finally
        {
            // A crash leaves the scratch folder behind; the next attempt starts it over.
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>Pass two: each line into its object's bucket as <c>{ordinal} {key within the object} {line}</c>.</summary>
    private static void Spread(string source, string[] paths, Dictionary<long, int> ordinals, LineIds ids, string what, CancellationToken cancellationToken)
    {
        var writers = paths.Select(p => new StreamWriter(p, false, new UTF8Encoding(false), 1 << 14) { NewLine = "\n" }).ToArray();
        try
        {
            foreach (var (line, number) in Lines(source, cancellationToken))
            {
                var (id, parent) = ids.Read(line, number);
                if (!ordinals.TryGetValue(NumericTail(parent ?? id, what, number), out var ordinal))
                {
                    throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: line {number} is nested in {parent}, which the file does not hold");
                }

                // -1 for the object itself, a nested line's own number after it.
                var writer = writers[ordinal / ObjectsPerBucket];
                writer.Write(ordinal);
                writer.Write(' ');
                writer.Write(parent is null ? -1 : TryNumericTail(id) ?? long.MaxValue);
                writer.Write(' ');
                writer.WriteLine(line);
            }
        }
        finally
        {
            foreach (var writer in writers)
            {
                writer.Dispose();
            }
        }
    }

    /// <summary>Pass three: one bucket sorted (object, then its nested lines by id, then file order) onto the output.</summary>
    private static void SortBucket(string path, StreamWriter output, CancellationToken cancellationToken)
    {
        var entries = new List<(int Ordinal, long Within, int Seq, string Line)>();
        foreach (var (entry, _) in Lines(path, cancellationToken))
        {
            var first = entry.IndexOf(' ');
            var second = entry.IndexOf(' ', first + 1);
            entries.Add((
                int.Parse(entry.AsSpan(0, first), CultureInfo.InvariantCulture),
                long.Parse(entry.AsSpan(first + 1, second - first - 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
                entries.Count,
                entry[(second + 1)..]));
        }

        // Nested lines in id order, the order a paged query returns them, so a record's content (and its hash) does
        // not depend on where Shopify happened to write its lines.
        entries.Sort((a, b) => a.Ordinal != b.Ordinal ? a.Ordinal.CompareTo(b.Ordinal) : a.Within != b.Within ? a.Within.CompareTo(b.Within) : a.Seq.CompareTo(b.Seq));
        foreach (var entry in entries)
        {
            output.WriteLine(entry.Line);
        }

        File.Delete(path);
    }

    private static IEnumerable<(string Line, long Number)> Lines(string path, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan), Encoding.UTF8);
        long number = 0;
        while (reader.ReadLine() is { } line)
        {
            if ((++number & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (line.Length > 0)
            {
                yield return (line, number);
            }
        }
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

    /// <summary>A line's own <c>id</c> and its <c>__parentId</c> (top-level properties only), read through one reused buffer.</summary>
    private sealed class LineIds(string what)
    {
        private byte[] buffer = new byte[4096];

        public (string Id, string? Parent) Read(string line, long number)
        {
            var max = Encoding.UTF8.GetMaxByteCount(line.Length);
            if (buffer.Length < max)
            {
                buffer = new byte[max];
            }

            var length = Encoding.UTF8.GetBytes(line, buffer);
            string? id = null;
            string? parent = null;
            try
            {
                var reader = new Utf8JsonReader(buffer.AsSpan(0, length));
                while (reader.Read())
                {
                    if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
                    {
                        continue;
                    }

                    var isId = reader.ValueTextEquals("id"u8);
                    var isParent = !isId && reader.ValueTextEquals("__parentId"u8);
                    reader.Read();
                    if (isId && reader.TokenType == JsonTokenType.String)
                    {
                        id = reader.GetString();
                    }
                    else if (isParent && reader.TokenType == JsonTokenType.String)
                    {
                        parent = reader.GetString();
                    }
                    else
                    {
                        reader.Skip();
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
    }
}
