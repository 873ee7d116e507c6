using System.Text.RegularExpressions;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Core;
using FunctionsSync.Core.Adapters;
using FunctionsSync.Marketplaces;
using FunctionsSync.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.IntegrationTests.Docs;

/// <summary>
/// The connection settings table of <c>docs/adapters.md</c> against the adapters' requirements as the hosts register
/// them: every setting an adapter reads has a row naming that marketplace (or <c>all</c>), and every row names
/// settings the marketplaces it lists do read.
/// </summary>
public sealed partial class ConnectionSettingsReferenceTests
{
    [Fact]
    public void Every_setting_an_adapter_reads_has_its_row_and_every_row_is_read()
    {
        using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                // Resolving an adapter builds the connection store (token refreshes) without calling it.
                ["Storage:ConnectionString"] = "UseDevelopmentStorage=true",
                ["Secrets:Keys:0:Id"] = "docs",
                ["Secrets:Keys:0:Key"] = "docs-key-material-not-a-secret-0123456789",
            }).Build())
            .AddLogging()
            .AddFunctionsSyncCore()
            .AddFunctionsSyncStorage()
            .AddFunctionsSyncMarketplaces()
            .BuildServiceProvider();
        var registry = services.GetRequiredService<IMarketplaceAdapterRegistry>();
        var read = registry.Marketplaces.ToDictionary(m => m, m => registry.Get(m).Requirements.AllSettings.SelectMany(s => s.Keys).ToHashSet(StringComparer.Ordinal));
        var rows = Rows(File.ReadAllText(Repository.PathOf("docs", "adapters.md")));
        Assert.NotEmpty(rows);

        var missing = read.SelectMany(m => m.Value.Where(key => !rows.Any(r => r.Keys.Contains(key) && r.Covers(m.Key))).Select(key => $"{m.Key}: {key}")).ToList();
        var stale = rows.SelectMany(r => r.Keys.SelectMany(key => read.Where(m => r.Covers(m.Key) && !m.Value.Contains(key)).Select(m => $"{m.Key}: {key}"))).ToList();

        Assert.True(missing.Count == 0, "settings read without a row in docs/adapters.md:\n" + string.Join("\n", missing));
        Assert.True(stale.Count == 0, "rows naming a setting a marketplace they list does not read:\n" + string.Join("\n", stale));
    }

    private sealed record Row(IReadOnlyList<string> Keys, string Marketplaces)
    {
        public bool Covers(string marketplace) =>
            Marketplaces.Trim() == "all" || Marketplaces.Split(',').Any(m => m.Trim().Equals(marketplace, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The rows of the table whose header starts <c>| setting | marketplaces |</c>.</summary>
    private static List<Row> Rows(string markdown)
    {
        var lines = markdown.Split('\n');
        var start = Array.FindIndex(lines, l => l.StartsWith("| setting | marketplaces |", StringComparison.Ordinal));
        Assert.True(start >= 0, "docs/adapters.md has no connection settings table");
        return [.. lines.Skip(start + 2).TakeWhile(l => l.StartsWith('|')).Select(l => l.Split('|')).Select(cells =>
            new Row([.. Backticked().Matches(cells[1]).Select(m => m.Groups[1].Value)], cells[2]))];
    }

    [GeneratedRegex("`([A-Za-z]+)`")]
    private static partial Regex Backticked();
}
