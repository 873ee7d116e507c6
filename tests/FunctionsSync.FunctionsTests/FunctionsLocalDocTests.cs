using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using FunctionsSync.Core.Connections;
using FunctionsSync.FunctionsTests.Infrastructure;
using FunctionsSync.Core.Orchestration;
using FunctionsSync.IntegrationTests.Infrastructure;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.FunctionsTests;

/// <summary>
/// docs/azure.md's "Run with Functions Core Tools" as far as it runs here (Core Tools cannot be installed): the Functions
/// app started with <c>local.settings.sample.json</c>'s values (its change-me values replaced, as the section says), then
/// the section's own curl commands, read from the page, sent as written: to the simulator over HTTP, to the app's API
/// trigger as the Functions host routes it. The run they start must succeed with the simulator's store in storage.
/// </summary>
[Collection(FunctionsCollection.Name)]
public sealed partial class FunctionsLocalDocTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    private const string DocSimulator = "http://127.0.0.1:7080";
    private const string DocFunctions = "http://localhost:7072";

    [Fact]
    public async Task The_local_walkthroughs_commands_register_a_store_of_the_simulator_and_sync_it_on_the_sample_settings()
    {
        var section = Section(File.ReadAllText(Repository.PathOf("docs", "azure.md")), "### Run with Functions Core Tools");
        var blocks = BashBlock().Matches(section).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, blocks.Count);
        var simulatorHost = new Uri(simulator.BaseUrl).Authority;

        // The sample's settings, as func start would read them, with what the section says to change changed.
        var sample = JsonDocument.Parse(File.ReadAllText(Repository.PathOf("local.settings.sample.json"))).RootElement.GetProperty("Values");
        var settings = new Dictionary<string, string?>();
        foreach (var setting in sample.EnumerateObject())
        {
            var value = setting.Value.GetString()!.Replace("127.0.0.1:7080", simulatorHost, StringComparison.Ordinal);
            settings[setting.Name.Replace("__", ":", StringComparison.Ordinal)] = value;
        }

        Assert.StartsWith("change-me", settings["Api:AdminKey"]);
        Assert.StartsWith("change-me", settings["Secrets:Keys:0:Key"]);
        // Storage and queue names stay the test's own (Azurite's, prefixed); the key and the secret become real ones.
        foreach (var name in new[] { "AzureWebJobsStorage", "DataStorage", "Storage:ConnectionString", "WebhookQueueName", "AmazonNotificationQueueName", "Api:AdminKey", "Secrets:Keys:0:Id", "Secrets:Keys:0:Key" })
        {
            settings.Remove(name);
        }

        await using var app = await FunctionsApp.StartAsync(storage, simulator, "fndoc", settings);
        using var http = new HttpClient();
        var answers = new List<(string Command, int Status, string Body)>();
        // The simulator is where the doc has it, in the URLs sent and in the connection's settings.
        foreach (var command in Commands(blocks[1].Replace(DocSimulator, simulator.BaseUrl, StringComparison.Ordinal)))
        {
            var (method, url, headers, body) = Curl(command);
            if (url.StartsWith(simulator.BaseUrl, StringComparison.Ordinal))
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), url);
                if (body is not null)
                {
                    request.Content = new StringContent(body, Encoding.UTF8, headers.GetValueOrDefault("Content-Type") ?? "application/json");
                }

                using var response = await http.SendAsync(request);
                answers.Add((command, (int)response.StatusCode, await response.Content.ReadAsStringAsync()));
            }
            else
            {
                Assert.StartsWith(DocFunctions + "/api/", url);
                var answer = await HttpCall.InvokeAsync(r => app.Function<Functions.Http.ApiFunction>().RunAsync(r, app.Client),
                    method, url[DocFunctions.Length..], body, headers.GetValueOrDefault("X-Api-Key"), headers.GetValueOrDefault("Content-Type") ?? "application/json");
                answers.Add((command, answer.Status, answer.Text));
            }
        }

        Assert.Equal(3, answers.Count);
        Assert.All(answers, a => Assert.True(a.Status is >= 200 and < 300, $"{a.Command}\n→ {a.Status} {a.Body}"));

        var runId = JsonDocument.Parse(answers[2].Body).RootElement.GetProperty("runs")[0].GetProperty("runId").GetString()!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var done = await app.Client.WaitForInstanceCompletionAsync(SyncActivities.InstanceIdFor(runId), false, timeout.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var run = (await app.ApiAsync("GET", $"/api/runs/{runId}")).Json;
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        var connection = (await app.Services.GetRequiredService<IConnectionStore>().ListAsync(null, CancellationToken.None)).Single();
        Assert.Equal(("org-local", "local-shop"), (connection.OrganizationId, connection.ExternalStoreId));
        await app.AssertStoredEqualsSimulatorAsync(connection, simulator.State.GetStore("woocommerce", "local-shop")!);
    }

    /// <summary>The commands of a bash block: lines joined where they end in a backslash or inside quotes, comments dropped, <c>$ADMIN_KEY</c> the app's key.</summary>
    private static IEnumerable<string> Commands(string block)
    {
        var command = new StringBuilder();
        char? quote = null;
        for (var i = 0; i < block.Length; i++)
        {
            var c = block[i];
            if (quote is null && c == '\\' && i + 1 < block.Length && block[i + 1] == '\n')
            {
                command.Append(' ');
                i++;
            }
            else if (quote is null && c == '\n')
            {
                if (command.ToString().Trim() is { Length: > 0 } line)
                {
                    yield return line.Replace("$ADMIN_KEY", FunctionsApp.AdminKey, StringComparison.Ordinal);
                }

                command.Clear();
            }
            else
            {
                quote = c is '\'' or '"' ? (quote == c ? null : quote ?? c) : quote;
                command.Append(c);
            }
        }

        if (command.ToString().Trim() is { Length: > 0 } last)
        {
            yield return last.Replace("$ADMIN_KEY", FunctionsApp.AdminKey, StringComparison.Ordinal);
        }
    }

    /// <summary>What a curl command of the section sends: <c>-X</c>, the URL, <c>-H</c> headers and a <c>-d</c> body.</summary>
    private static (string Method, string Url, Dictionary<string, string> Headers, string? Body) Curl(string command)
    {
        var words = Words(command);
        Assert.Equal("curl", words[0]);
        string? method = null, url = null, body = null;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 1; i < words.Count; i++)
        {
            switch (words[i])
            {
                case "-X": method = words[++i]; break;
                case "-H":
                    var header = words[++i].Split(':', 2);
                    headers[header[0].Trim()] = header[1].Trim();
                    break;
                case "-d": body = words[++i]; break;
                default:
                    Assert.False(words[i].StartsWith('-'), $"an option this reading does not know: {words[i]}");
                    url = words[i];
                    break;
            }
        }

        return (method ?? (body is null ? "GET" : "POST"), url!, headers, body);
    }

    /// <summary>Shell words: split on blanks outside quotes, the quotes removed.</summary>
    private static List<string> Words(string command)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        char? quote = null;
        var any = false;
        foreach (var c in command)
        {
            if (quote is null && char.IsWhiteSpace(c))
            {
                if (any)
                {
                    words.Add(word.ToString());
                }

                word.Clear();
                any = false;
            }
            else if (quote is null && c is '\'' or '"')
            {
                quote = c;
                any = true;
            }
            else if (quote == c)
            {
                quote = null;
            }
            else
            {
                word.Append(c);
                any = true;
            }
        }

        if (any)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    private static string Section(string page, string heading)
    {
        var start = page.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/azure.md has no '{heading}'");
        var end = page.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal) is var h2 and >= 0 ? h2 : page.Length;
        var next = page.IndexOf("\n### ", start + heading.Length, StringComparison.Ordinal);
        return page[start..(next >= 0 && next < end ? next : end)];
    }

    [GeneratedRegex("```bash\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex BashBlock();
}
