using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using FunctionsSync.Core.Adapters;
using FunctionsSync.Marketplaces.Http;

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
/// Lines stay UTF-8 bytes throughout (ids are read from them, buckets hold them as they came) and file I/O is
/// synchronous on one thread: a line at a time through buffers is many times faster than awaiting each.
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
        var ordinals = new Dictionary<long, int>();
        var grouped = true;
        long? lastObject = null;
        var lastNested = long.MinValue;
        using (var lines = new FileLines(source))
        {
            long number = 0;
            while (lines.TryReadUtf8(out var line))
            {
                if (!Next(line, ref number, cancellationToken))
                {
                    continue;
                }

                var ids = LineIds.Read(line, number, what);
                if (ids.Parent is null)
                {
                    var key = ids.Id ?? throw NotAGlobalId(line, "id", number, what);
                    if (!ordinals.TryAdd(key, ordinals.Count))
                    {
                        throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: object {LineIds.Text(line, "id")} appears twice (line {number})");
                    }

                    (lastObject, lastNested) = (key, long.MinValue);
                }
                else
                {
                    var nested = ids.Id ?? long.MaxValue;
                    grouped &= ids.Parent == lastObject && nested >= lastNested;
                    lastNested = nested;
                }
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
            var paths = Enumerable.Range(0, buckets).Select(b => Path.Combine(scratch, $"bucket-{b:D5}.bin")).ToArray();
            Spread(source, paths, ordinals, what, cancellationToken);
            ordinals.Clear();
            ordinals.TrimExcess();
            foreach (var path in paths)
            {
                SortBucket(path, target, cancellationToken);
            }

            return objects;
        }
        finally
        {
            // A crash leaves the scratch folder behind; the next attempt starts it over.
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>Pass two: each line into its object's bucket as <c>{ordinal} {key within the object} {length} {bytes}</c>, binary.</summary>
    private static void Spread(string source, string[] paths, Dictionary<long, int> ordinals, string what, CancellationToken cancellationToken)
    {
        var writers = paths.Select(p => new BinaryWriter(new FileStream(p, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 14))).ToArray();
        try
        {
            using var lines = new FileLines(source);
            long number = 0;
            while (lines.TryReadUtf8(out var line))
            {
                if (!Next(line, ref number, cancellationToken))
                {
                    continue;
                }

                var ids = LineIds.Read(line, number, what);
                if (!ordinals.TryGetValue(ids.Parent ?? ids.Id!.Value, out var ordinal))
                {
                    throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: line {number} is nested in {LineIds.Text(line, "__parentId")}, which the file does not hold");
                }

                // -1 for the object itself, a nested line's own number after it.
                var writer = writers[ordinal / ObjectsPerBucket];
                writer.Write(ordinal);
                writer.Write(ids.Parent is null ? -1 : ids.Id ?? long.MaxValue);
                writer.Write(line.Length);
                writer.Write(line);
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
    private static void SortBucket(string path, Stream output, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var bytes = File.ReadAllBytes(path);
        var entries = new List<(int Ordinal, long Within, int Seq, int Offset, int Length)>();
        for (var next = 0; next < bytes.Length;)
        {
            var ordinal = BitConverter.ToInt32(bytes, next);
            var within = BitConverter.ToInt64(bytes, next + 4);
            var length = BitConverter.ToInt32(bytes, next + 12);
            entries.Add((ordinal, within, entries.Count, next + 16, length));
            next += 16 + length;
        }

        // Nested lines in id order, the order a paged query returns them, so a record's content (and its hash) does
        // not depend on where Shopify happened to write its lines.
        entries.Sort((a, b) => a.Ordinal != b.Ordinal ? a.Ordinal.CompareTo(b.Ordinal) : a.Within != b.Within ? a.Within.CompareTo(b.Within) : a.Seq.CompareTo(b.Seq));

        // The bucket's lines in order, each with its line break, written at once (no larger than the bucket read).
        var sorted = new byte[entries.Sum(e => e.Length + 1)];
        var at = 0;
        foreach (var entry in entries)
        {
            bytes.AsSpan(entry.Offset, entry.Length).CopyTo(sorted.AsSpan(at));
            at += entry.Length;
            sorted[at++] = (byte)'\n';
        }

        output.Write(sorted);
        File.Delete(path);
    }

    /// <summary>Counts a line; false for an empty one (skipped). Checks for cancellation every 4,096 lines.</summary>
    private static bool Next(ReadOnlySpan<byte> line, ref long number, CancellationToken cancellationToken)
    {
        if ((++number & 0xFFF) == 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
        }

        return line.Length > 0;
    }

    private static MarketplaceException NotAGlobalId(ReadOnlySpan<byte> line, string property, long number, string what) =>
        new(MarketplaceErrorKind.BadResponse, $"{what}: line {number} names '{LineIds.Text(line, property)}', not a global id");

    /// <summary>
    /// A line's own <c>id</c> and its <c>__parentId</c> (top-level properties only), as the numbers their global ids end
    /// with (<c>gid://shopify/Product/123</c>: the objects of one file are of one type); an id that is not such a gid is
    /// null, a parent that is not one a bad response.
    /// </summary>
    private readonly record struct LineIds(long? Id, long? Parent)
    {
        public static LineIds Read(ReadOnlySpan<byte> line, long number, string what)
        {
            long? id = null;
            long? parent = null;
            var hasId = false;
            var hasParent = false;
            try
            {
                var reader = new Utf8JsonReader(line);
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
                        (hasId, id) = (true, NumericTail(ref reader));
                    }
                    else if (isParent && reader.TokenType == JsonTokenType.String)
                    {
                        (hasParent, parent) = (true, NumericTail(ref reader) ?? throw NotAGlobalId(line, "__parentId", number, what));
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

            return !hasId && !hasParent
                ? throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: line {number} has neither an id nor a __parentId")
                : new LineIds(id, parent);
        }

        /// <summary>A top-level string property's text, for a message (the line is JSON: <see cref="Read"/> passed it).</summary>
        public static string Text(ReadOnlySpan<byte> line, string property)
        {
            using var document = JsonDocument.Parse(line.ToArray());
            return document.RootElement.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
        }

        private static long? NumericTail(ref Utf8JsonReader reader)
        {
            if (reader.ValueIsEscaped || reader.HasValueSequence)
            {
                return TailOf(Encoding.UTF8.GetBytes(reader.GetString()!));
            }

            return TailOf(reader.ValueSpan);
        }

        private static long? TailOf(ReadOnlySpan<byte> gid)
        {
            var tail = gid[(gid.LastIndexOf((byte)'/') + 1)..];
            var query = tail.IndexOf((byte)'?');
            if (query >= 0)
            {
                tail = tail[..query];
            }

            return Utf8Parser.TryParse(tail, out long value, out var used) && used == tail.Length && tail.Length > 0 && tail[0] is >= (byte)'0' and <= (byte)'9' ? value : null;
        }
    }
}
