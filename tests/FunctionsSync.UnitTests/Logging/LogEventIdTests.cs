using System.Text.RegularExpressions;

namespace FunctionsSync.UnitTests.Logging;

/// <summary>
/// Every structured log message of the product has an event id of its own, so an operator's query or alert on an id
/// means one message. Read from the sources (every project under <c>src/</c>), where the ids are declared.
/// </summary>
public sealed partial class LogEventIdTests
{
    [Fact]
    public void Every_LoggerMessage_in_src_has_a_unique_event_id()
    {
        var src = Path.Combine(RepoRoot(), "src");
        var declared = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => LoggerMessage().Matches(File.ReadAllText(f)).Select(m => (Id: int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), File: Path.GetRelativePath(src, f))))
            .ToList();

        Assert.True(declared.Count >= 40, $"only {declared.Count} log messages found under {src}");
        var shared = declared.GroupBy(d => d.Id).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(d => d.File))}").ToList();
        Assert.True(shared.Count == 0, "event ids used by more than one message:\n" + string.Join("\n", shared));
    }

    [GeneratedRegex(@"\[LoggerMessage\(\s*(?:EventId\s*=\s*)?(\d+)")]
    private static partial Regex LoggerMessage();

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FunctionsSync.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the repository root above " + AppContext.BaseDirectory);
    }
}
