using System.IO.Compression;
using System.Text.Json;

namespace FunctionsSync.IntegrationTests.Contracts;

/// <summary>
/// The marketplaces' own published contracts, read at test time from the folder <c>FUNCTIONSSYNC_CONTRACTS</c> names
/// or, by default, <c>../shared/contracts</c> beside the repository. They are the vendors' files and never enter the
/// repository; where the folder is absent, contract tests report as skipped with <see cref="SkipReason"/>.
/// </summary>
public static class ContractFiles
{
    public const string Variable = "FUNCTIONSSYNC_CONTRACTS";

    public static string? Folder { get; } = Find();

    public static string SkipReason =>
        $"The vendors' contracts are not here: set {Variable} to their folder, or place it at ../shared/contracts beside the repository.";

    public static string PathOf(string relative) =>
        Path.Combine(Folder ?? throw new InvalidOperationException(SkipReason), relative.Replace('/', Path.DirectorySeparatorChar));

    public static string Text(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>A JSON file, gzipped ones (<c>.gz</c>, as Shopify publishes its schemas) unpacked as read.</summary>
    public static JsonDocument Json(string relative)
    {
        using var file = File.OpenRead(PathOf(relative));
        using Stream stream = relative.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
        return JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 256 });
    }

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } named)
        {
            return Directory.Exists(named) ? Path.GetFullPath(named) : null;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FunctionsSync.sln")))
            {
                var shared = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "contracts"));
                return Directory.Exists(shared) ? shared : null;
            }
        }

        return null;
    }
}
