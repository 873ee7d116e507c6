using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsSync.Core.Api;
using FunctionsSync.IntegrationTests.Infrastructure;

namespace FunctionsSync.FunctionsTests;

/// <summary>
/// A client generated with Kiota (the pinned <c>Microsoft.OpenApi.Kiota</c> tool of <c>.config/dotnet-tools.json</c>,
/// restored by <c>scripts/test.sh</c>) from the document the host serves, compiled with the probe of
/// <c>GeneratedClient/Probe</c>: it must read every answer of the route-parity script into the model the document names
/// for it and write back exactly the JSON it read (enums as their values, nothing left aside, no placeholder), and
/// authenticate, page, read enums and problem bodies over real HTTP.
/// </summary>
public sealed partial class ResponseShapeTests
{
    [Fact]
    public async Task A_client_generated_with_Kiota_from_the_served_document_reads_every_answer_as_sent_and_calls_the_API()
    {
        await using var host = new HostApp(storage, "kiota" + Guid.NewGuid().ToString("N")[..6], Aligned);
        var baseUrl = host.StartOnFreePort();
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        var steps = await RunScriptAsync("kiota", Through(http));
        http.DefaultRequestHeaders.Add("X-Api-Key", HostApp.AdminKey);
        // Connections to page through (the script's own was deleted at its end).
        for (var i = 0; i < 3; i++)
        {
            var response = await http.PostAsJsonAsync("/api/connections", new
            {
                organizationId = Organization, marketplace = "woocommerce", externalStoreId = $"kiota-page-{i}", name = $"kiota page {i}",
                credentials = new Dictionary<string, string> { ["consumerKey"] = "ck_kiota", ["consumerSecret"] = "cs_kiota" },
                settings = new Dictionary<string, string> { ["baseUrl"] = simulator.BaseUrlFor("woocommerce", $"kiota-page-{i}") },
            });
            Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        }

        var folder = Directory.CreateTempSubdirectory("functionssync-kiota-");
        try
        {
            var document = Path.Combine(folder.FullName, "openapi.json");
            await File.WriteAllTextAsync(document, await http.GetStringAsync("/openapi/v1.json"));
            var answers = new JsonArray();
            foreach (var (step, status, answer, method, path) in steps)
            {
                if (answer.Body is { } body && answer.ContentType is "application/json" or "application/problem+json"
                    && ApiRouteMatcher.TryMatch(method, new Microsoft.AspNetCore.Http.PathString(Uri.UnescapeDataString(path.Split('?')[0]["/api".Length..])), out var route, out _))
                {
                    answers.Add(new JsonObject { ["step"] = step, ["path"] = "/api/" + route!.Template, ["verb"] = method, ["status"] = status, ["body"] = JsonNode.Parse(body.GetRawText()) });
                }
            }

            var answersFile = Path.Combine(folder.FullName, "answers.json");
            await File.WriteAllTextAsync(answersFile, answers.ToJsonString());

            await RunAsync(Repository.Root, "dotnet", "tool", "run", "kiota", "generate", "-l", "CSharp", "-d", document, "-o", Path.Combine(folder.FullName, "Client"),
                "-n", "FunctionsSync.Client", "-c", "FunctionsSyncClient", "--exclude-backward-compatible", "--log-level", "Warning");
            var probe = Path.Combine(AppContext.BaseDirectory, "GeneratedClient", "Probe");
            File.Copy(Path.Combine(probe, "Probe.csproj.template"), Path.Combine(folder.FullName, "Probe.csproj"));
            File.Copy(Path.Combine(probe, "Program.cs"), Path.Combine(folder.FullName, "Program.cs"));
            await RunAsync(folder.FullName, "dotnet", "build", "-nologo", "-v", "quiet", "-o", Path.Combine(folder.FullName, "out"));
            var outFile = Path.Combine(folder.FullName, "probe.json");
            await RunAsync(folder.FullName, "dotnet", Path.Combine(folder.FullName, "out", "Probe.dll"), answersFile, document, baseUrl, HostApp.AdminKey, outFile);
            var result = JsonNode.Parse(await File.ReadAllTextAsync(outFile))!;

            // Every answer read into its model and written back as it came.
            var reads = result["reads"]!.AsArray();
            Assert.True(reads.Count == answers.Count && reads.Count > 60, $"{reads.Count} answers read of {answers.Count}");
            var wrong = new List<string>();
            foreach (var (read, answer) in reads.Zip(answers))
            {
                var step = (string)read!["step"]!;
                if (read["error"] is { } error)
                {
                    wrong.Add($"{step}: {error}");
                    continue;
                }

                wrong.AddRange(read["notTaken"]!.AsArray().Select(n => $"{step}: not taken by the model: {n}"));
                wrong.AddRange(Differences(answer!["body"], read["written"], "$").Select(d => $"{step} ({read["type"]}): {d}"));
            }

            Assert.True(wrong.Count == 0, "the generated client read these otherwise than sent:\n" + string.Join("\n", wrong));

            // Real calls: a page at a time to the end, enums as the API's own answers hold them, problems as problems.
            var calls = result["calls"]!;
            var listed = (await http.GetFromJsonAsync<JsonElement>($"/api/connections?pageSize=200")).GetProperty("connections").EnumerateArray()
                .Select(c => $"{c.GetProperty("name").GetString()}={c.GetProperty("health").GetString()}").Order().ToList();
            Assert.Equal(3, listed.Count);
            Assert.Equal(listed, calls["connections"]!.AsArray().Select(c => $"{c!["name"]}={c["health"]}").Order());
            var runId = (string)calls["run"]!["runId"]!;
            var raw = await http.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}");
            Assert.Equal(
                (raw.GetProperty("status").GetString(), raw.GetProperty("mode").GetString(), raw.GetProperty("trigger").GetString()),
                ((string?)calls["run"]!["status"], (string?)calls["run"]!["mode"], (string?)calls["run"]!["trigger"]));
            Assert.Equal(raw.GetProperty("entities").EnumerateArray().Select(e => e.GetProperty("state").GetString()), calls["run"]!["entityStates"]!.AsArray().Select(s => (string?)s));
            Assert.Equal(404, (int)calls["missingRun"]!["status"]!);
            Assert.Equal(404, (int)calls["missingRun"]!["responseStatusCode"]!);
            Assert.Equal(401, (int)calls["unauthenticated"]!["status"]!);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Where the JSON read and the JSON written differ: absent and null are alike, numbers and instants compared by value.</summary>
    private static IEnumerable<string> Differences(JsonNode? expected, JsonNode? actual, string at)
    {
        switch (expected, actual)
        {
            case (null, null):
                yield break;
            case (JsonObject e, JsonObject a):
                foreach (var key in e.Where(p => p.Value is not null).Select(p => p.Key).Union(a.Where(p => p.Value is not null).Select(p => p.Key)))
                {
                    foreach (var difference in Differences(e[key], a[key], $"{at}.{key}"))
                    {
                        yield return difference;
                    }
                }

                yield break;
            case (JsonArray e, JsonArray a) when e.Count == a.Count:
                for (var i = 0; i < e.Count; i++)
                {
                    foreach (var difference in Differences(e[i], a[i], $"{at}[{i}]"))
                    {
                        yield return difference;
                    }
                }

                yield break;
            case (JsonValue e, JsonValue a) when SameValue(e, a):
                yield break;
            default:
                yield return $"{at}: sent {expected?.ToJsonString() ?? "nothing"}, read {actual?.ToJsonString() ?? "nothing"}";
                break;
        }
    }

    private static bool SameValue(JsonValue expected, JsonValue actual)
    {
        var (e, a) = (expected.GetValue<JsonElement>(), actual.GetValue<JsonElement>());
        return (e.ValueKind, a.ValueKind) switch
        {
            (JsonValueKind.Number, JsonValueKind.Number) => e.GetDecimal() == a.GetDecimal(),
            (JsonValueKind.String, JsonValueKind.String) => e.GetString() == a.GetString()
                || (e.GetString()!.Contains('T') && DateTimeOffset.TryParse(e.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var x)
                    && DateTimeOffset.TryParse(a.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var y) && x == y),
            _ => e.ValueKind == a.ValueKind && e.GetRawText() == a.GetRawText(),
        };
    }

    private static async Task RunAsync(string workingDirectory, string file, params string[] arguments)
    {
        // No usage data, and no update check or telemetry over a network this machine may not have.
        var (exit, output) = await ExternalProcess.RunAsync(workingDirectory, file, arguments, new Dictionary<string, string>
        {
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1", ["KIOTA_TELEMETRY__OPTOUT"] = "true", ["KIOTA_UPDATE__DISABLED"] = "true",
        });
        Assert.True(exit == 0, $"{file} {string.Join(' ', arguments)} exited {exit}:\n{output}");
    }
}
