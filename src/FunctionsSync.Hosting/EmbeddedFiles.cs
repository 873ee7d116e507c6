using System.Reflection;
using Microsoft.AspNetCore.Http;

namespace FunctionsSync.Hosting;

/// <summary>What the pages both hosts serve from this assembly (the dashboard, the API reference) share: reading a resource and the answer's headers.</summary>
internal static class EmbeddedFiles
{
    /// <summary>The resources under <paramref name="prefix"/>, by the name after it.</summary>
    public static Dictionary<string, byte[]> Under(Assembly assembly, string prefix) =>
        assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(n => n[prefix.Length..], n => Read(assembly, n), StringComparer.Ordinal);

    public static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"{assembly.GetName().Name} has no resource {name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public static string TypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        _ => "application/octet-stream",
    };
}

/// <summary>The headers of a page's file on both hosts: its content policy, no sniffing, revalidated on every load.</summary>
public static class PageHeaders
{
    public static void Apply(IHeaderDictionary headers, string contentSecurityPolicy, bool gzipped = false)
    {
        headers.ContentSecurityPolicy = contentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-cache";
        if (gzipped)
        {
            headers.ContentEncoding = "gzip";
            headers.Vary = "Accept-Encoding";
        }
    }
}
