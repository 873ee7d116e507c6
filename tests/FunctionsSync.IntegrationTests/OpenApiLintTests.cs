using FunctionsSync.IntegrationTests.Infrastructure;

namespace FunctionsSync.IntegrationTests;

/// <summary>
/// The served OpenAPI document through Redocly's linter at its recommended rules (the pinned <c>@redocly/cli</c> of
/// <c>package.json</c>, installed by <c>npm ci</c> as Azurite is): no error.
/// </summary>
[Collection(QuietCollection.Name)]
public sealed class OpenApiLintTests(AzuriteFixture storage)
{
    [Fact]
    public async Task The_served_document_passes_the_linters_recommended_rules()
    {
        await using var host = new HostApp(storage, StorageServices.NewPrefix("apilint"));
        var response = await host.Client(null).GetAsync("/openapi/v1.json");
        var folder = Directory.CreateTempSubdirectory("functionssync-lint-");
        try
        {
            var document = Path.Combine(folder.FullName, "openapi.json");
            await File.WriteAllTextAsync(document, await response.Content.ReadAsStringAsync());
            var config = Path.Combine(folder.FullName, "redocly.yaml");
            await File.WriteAllTextAsync(config, "extends:\n  - recommended\n");
            var (exit, output) = await LintAsync(document, config);
            Assert.True(exit == 0, output);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    // The CLI would otherwise try to send usage data and look for updates over a network this machine does not have.
    private static Task<(int Exit, string Output)> LintAsync(string document, string config) =>
        ExternalProcess.RunAsync(Repository.Root, "node", [Repository.PathOf("node_modules", "@redocly", "cli", "bin", "cli.js"), "lint", document, "--config", config],
            new Dictionary<string, string> { ["REDOCLY_TELEMETRY"] = "off", ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true" }, TimeSpan.FromMinutes(2));
}
