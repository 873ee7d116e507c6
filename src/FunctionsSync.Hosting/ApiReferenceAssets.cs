using System.Collections.Frozen;
using System.IO.Compression;

namespace FunctionsSync.Hosting;

/// <summary>
/// The interactive API reference: a page of ours mounting Scalar (its standalone bundle, taken from the
/// <c>Scalar.AspNetCore</c> assembly where it ships gzipped) on the host's own OpenAPI document. The self-hosted runtime
/// serves it at <c>/reference</c>, the Functions app at <c>/api/reference</c>; both the same bytes, without a key (as
/// the document), loading nothing from another origin.
/// </summary>
public static class ApiReferenceAssets
{
    /// <summary>
    /// This origin only. Scalar sets styles inline and draws some icons as data URLs; its "try it" requests go to this
    /// host's API (the document's server). Scripts may not evaluate strings: the bundle's one attempt (its validator
    /// probing <c>Function("")</c> to choose between compiled and plain checks) is refused and it takes the plain ones.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private const string Bundle = "scalar.js";

    private static readonly Lazy<FrozenDictionary<string, Asset>> Files = new(Load);

    /// <summary>The bundle unzipped, made once, for a client that does not take gzip.</summary>
    private static readonly Lazy<byte[]> PlainBundle = new(() => Gunzip(Files.Value[Bundle].Content));

    /// <summary>One file as sent: <see cref="Gzipped"/> when its content is (sent with that encoding).</summary>
    public sealed record Asset(byte[] Content, string ContentType, bool Gzipped);

    /// <summary>The page (empty name), <c>scalar.js</c> or <c>reference.js</c>; false for anything else.</summary>
    public static bool TryGet(string? name, bool acceptsGzip, out Asset asset)
    {
        if (Files.Value.TryGetValue(string.IsNullOrEmpty(name) ? "index.html" : name, out var file))
        {
            asset = file.Gzipped && !acceptsGzip ? file with { Content = PlainBundle.Value, Gzipped = false } : file;
            return true;
        }

        asset = new([], "", false);
        return false;
    }

    /// <summary>Whether an <c>Accept-Encoding</c> header takes gzip.</summary>
    public static bool AcceptsGzip(string? acceptEncoding) =>
        acceptEncoding?.Split(',').Any(e => e.Split(';')[0].Trim().Equals("gzip", StringComparison.OrdinalIgnoreCase) && !e.Replace(" ", "").Contains("q=0", StringComparison.Ordinal)) == true;

    private static FrozenDictionary<string, Asset> Load()
    {
        var files = EmbeddedFiles.Under(typeof(ApiReferenceAssets).Assembly, "FunctionsSync.Hosting.Reference.")
            .ToDictionary(f => f.Key, f => new Asset(f.Value, EmbeddedFiles.TypeOf(f.Key), false), StringComparer.Ordinal);
        // Scalar.AspNetCore's own embedded copy of the standalone bundle, gzipped as it ships.
        files[Bundle] = new Asset(EmbeddedFiles.Read(typeof(Scalar.AspNetCore.ScalarOptions).Assembly, "ScalarStaticAssets." + Bundle), EmbeddedFiles.TypeOf(Bundle), true);
        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static byte[] Gunzip(byte[] content)
    {
        using var gzip = new GZipStream(new MemoryStream(content), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        gzip.CopyTo(plain);
        return plain.ToArray();
    }
}
