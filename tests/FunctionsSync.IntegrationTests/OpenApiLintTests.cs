using System.Diagnostics;
using FunctionsSync.IntegrationTests.Docs;
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

    private static async Task<(int Exit, string Output)> LintAsync(string document, string config)
    {
        var cli = ConfigurationReferenceTests.RepositoryFile("node_modules", "@redocly", "cli", "bin", "cli.js");
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { cli, "lint", document, "--config", config })
        {
            start.ArgumentList.Add(argument);
        }

        // The CLI would otherwise try to send usage data and look for updates over a network this machine does not have.
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
