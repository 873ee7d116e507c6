using System.Text.Json;
using System.Text.RegularExpressions;

namespace FunctionsSync.FunctionsTests;

/// <summary>
/// What `func start` needs, checked without Core Tools (it cannot be installed here): the build writes the function
/// metadata, host.json and a local.settings.json, and that file names every app setting a binding refers to.
/// </summary>
public sealed partial class LocalRunSettingsTests
{
    private static readonly string Output = Path.GetDirectoryName(typeof(Functions.FunctionsAppRegistration).Assembly.Location)!;

    [Fact]
    public void The_build_output_has_the_metadata_host_json_and_local_settings_with_every_setting_the_bindings_name()
    {
        var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(Output, "functions.metadata"))).RootElement;
        var names = metadata.EnumerateArray().Select(f => f.GetProperty("name").GetString()!).ToList();
        Assert.Contains("SyncTimer", names);
        Assert.Contains("SyncCycle", names);
        Assert.Contains("ConnectionSync", names);
        Assert.Contains("SyncPage", names);
        Assert.Contains("WebhookDispatch", names);
        Assert.True(File.Exists(Path.Combine(Output, "host.json")));

        var values = JsonDocument.Parse(File.ReadAllText(Path.Combine(Output, "local.settings.json"))).RootElement.GetProperty("Values");
        var settings = values.EnumerateObject().Select(p => p.Name).ToHashSet();
        // %Name% in trigger bindings, and binding connections.
        var referenced = SettingReference().Matches(metadata.GetRawText()).Select(m => m.Groups[1].Value)
            .Concat(metadata.EnumerateArray().SelectMany(f => f.GetProperty("bindings").EnumerateArray())
                .Where(b => b.TryGetProperty("connection", out _)).Select(b => b.GetProperty("connection").GetString()!))
            .ToHashSet();
        Assert.NotEmpty(referenced);
        Assert.All(referenced, name => Assert.Contains(name, settings));
        foreach (var name in new[] { "FUNCTIONS_WORKER_RUNTIME", "AzureWebJobsStorage", "Storage__ConnectionString", "Api__AdminKey" })
        {
            Assert.Contains(name, settings);
        }

        Assert.Equal("dotnet-isolated", values.GetProperty("FUNCTIONS_WORKER_RUNTIME").GetString());
        // The queue the trigger reads is the one the storage layer writes (no prefix in the sample).
        Assert.Equal("webhookevents", values.GetProperty("WebhookQueueName").GetString());
    }

    [GeneratedRegex("%([A-Za-z0-9_]+)%")]
    private static partial Regex SettingReference();
}
