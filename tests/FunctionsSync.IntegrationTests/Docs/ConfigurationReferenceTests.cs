using System.Reflection;
using System.Text.RegularExpressions;
using FunctionsSync.IntegrationTests.Infrastructure;

namespace FunctionsSync.IntegrationTests.Docs;

/// <summary>
/// <c>docs/configuration.md</c> against the options classes it documents: every setting of every options class (a type
/// with a <c>SectionName</c> in the service's assemblies) has its row, and every key a row names is a setting, so the
/// reference cannot drift from the code in either direction.
/// </summary>
public sealed partial class ConfigurationReferenceTests
{
    private static readonly Assembly[] Service =
    [
        typeof(global::FunctionsSync.Core.Sync.SyncOptions).Assembly,
        typeof(global::FunctionsSync.Storage.StorageOptions).Assembly,
        typeof(global::FunctionsSync.Marketplaces.Http.MarketplaceHttpOptions).Assembly,
        typeof(global::FunctionsSync.SelfHosted.Demo.DemoOptions).Assembly,
    ];

    [Fact]
    public void Every_setting_of_the_options_classes_has_its_row_and_every_row_names_settings()
    {
        var settings = Settings();
        var documented = DocumentedKeys(File.ReadAllText(Repository.PathOf("docs", "configuration.md")));
        var sections = settings.Select(s => s[..s.LastIndexOf(':')]).ToHashSet(StringComparer.OrdinalIgnoreCase);

        var undocumented = settings.Where(s => !documented.Any(d => Covers(s, d))).ToList();
        // A documented key under a section of the options classes must be one of its settings (or lie under one: a map).
        var stale = documented.Where(d => sections.Any(section => d.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase)) && !settings.Any(s => Covers(s, d))).ToList();

        Assert.True(undocumented.Count == 0, "settings without a row in docs/configuration.md:\n" + string.Join("\n", undocumented));
        Assert.True(stale.Count == 0, "rows naming no setting:\n" + string.Join("\n", stale));
    }

    /// <summary>A setting is covered by the key that names it or a key below it (<c>Secrets:Keys:{n}:Id</c> covers <c>Secrets:Keys</c>).</summary>
    private static bool Covers(string setting, string key) =>
        key.Equals(setting, StringComparison.OrdinalIgnoreCase) || key.StartsWith(setting + ":", StringComparison.OrdinalIgnoreCase);

    /// <summary><c>Section:Property</c> of every public settable property of every options class.</summary>
    private static List<string> Settings() =>
        [.. Service.SelectMany(a => a.GetTypes())
            .Select(t => (Type: t, Section: t.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string))
            .Where(t => t.Section is not null)
            .SelectMany(t => t.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.SetMethod?.IsPublic == true)
                .Select(p => $"{t.Section}:{p.Name}"))
            .Distinct()
            .Order()];

    /// <summary>
    /// The keys of the table rows' first cells: <c>`Section:Name` / `Other`</c> names <c>Section:Name</c> and
    /// <c>Section:Other</c> (a bare name takes the section of the key before it).
    /// </summary>
    private static List<string> DocumentedKeys(string markdown)
    {
        var keys = new List<string>();
        foreach (var line in markdown.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)))
        {
            string? section = null;
            foreach (Match token in Backticked().Matches(line.Split('|')[1]))
            {
                var key = token.Groups[1].Value;
                if (key.Contains(':'))
                {
                    section = key[..key.LastIndexOf(':')];
                    keys.Add(key);
                }
                else if (section is not null)
                {
                    keys.Add(section + ":" + key);
                }
            }
        }

        return keys;
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Backticked();
}
