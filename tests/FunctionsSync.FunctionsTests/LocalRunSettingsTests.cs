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
        Assert.Equal("amazonnotifications", values.GetProperty("AmazonNotificationQueueName").GetString());
    }

    [Fact]
    public void The_samples_placeholder_keys_are_refused_at_start_up_with_what_to_set()
    {
        var values = JsonDocument.Parse(File.ReadAllText(Path.Combine(Output, "local.settings.json"))).RootElement.GetProperty("Values");
        var api = new Core.Access.ApiOptions { AdminKey = values.GetProperty("Api__AdminKey").GetString()! };
        var secrets = new Storage.Secrets.SecretOptions { Keys = [new() { Id = values.GetProperty("Secrets__Keys__0__Id").GetString()!, Key = values.GetProperty("Secrets__Keys__0__Key").GetString()! }] };

        Assert.Contains(Problems(api), p => p.Contains("Api:AdminKey is the sample's placeholder", StringComparison.Ordinal));
        Assert.Contains(Problems(secrets), p => p.Contains("is the sample's placeholder", StringComparison.Ordinal));
        // A key of one's own passes.
        Assert.Empty(Problems(new Core.Access.ApiOptions { AdminKey = "a-long-random-key-of-my-own-0123456789" }));
    }

    /// <summary>What <c>ValidateDataAnnotations</c> at start-up reports of the options.</summary>
    private static List<string> Problems(object options)
    {
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true);
        return [.. results.Select(r => r.ErrorMessage ?? "")];
    }

    [GeneratedRegex("%([A-Za-z0-9_]+)%")]
    private static partial Regex SettingReference();
}
