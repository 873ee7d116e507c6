using System.Collections.Frozen;

namespace FunctionsSync.Hosting;

/// <summary>
/// The dashboard's static files, built into this assembly (no CDN, no file system): the self-hosted runtime serves
/// them at <c>/</c>, the Functions app at <c>/api/dashboard</c>. The page calls only the public API.
/// </summary>
public static class DashboardAssets
{
    /// <summary>Only this origin's scripts, styles and API: the page loads nothing from elsewhere.</summary>
    public const string ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private static readonly FrozenDictionary<string, (byte[] Content, string ContentType)> Files = Load();

    /// <summary>The file (<c>index.html</c> for an empty name); false for anything else.</summary>
    public static bool TryGet(string? name, out byte[] content, out string contentType)
    {
        if (Files.TryGetValue(string.IsNullOrEmpty(name) ? "index.html" : name, out var file))
        {
            (content, contentType) = file;
            return true;
        }

        (content, contentType) = ([], "");
        return false;
    }

    private static FrozenDictionary<string, (byte[], string)> Load() =>
        EmbeddedFiles.Under(typeof(DashboardAssets).Assembly, "FunctionsSync.Hosting.Dashboard.")
            .ToFrozenDictionary(f => f.Key, f => (f.Value, EmbeddedFiles.TypeOf(f.Key)), StringComparer.Ordinal);
}
