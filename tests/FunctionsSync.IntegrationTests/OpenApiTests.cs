using System.Text.Json;
using FunctionsSync.Core.Api;
using FunctionsSync.IntegrationTests.Infrastructure;

namespace FunctionsSync.IntegrationTests;

/// <summary><c>GET /openapi/v1.json</c> describes every route of the table: its body, its success answer and its problems.</summary>
[Collection(QuietCollection.Name)]
public sealed class OpenApiTests(AzuriteFixture storage)
{
    [Fact]
    public async Task Every_route_of_the_table_is_in_the_document_with_its_request_response_and_problem_schemas()
    {
        await using var host = new HostApp(storage, StorageServices.NewPrefix("openapi"));
        var response = await host.Client(null).GetAsync("/openapi/v1.json");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var document = await response.ReadJsonAsync();
        var paths = document.GetProperty("paths");
        var missing = new List<string>();
        foreach (var route in ApiRoutes.All)
        {
            if (!paths.TryGetProperty("/" + ApiRoutes.Prefix + "/" + route.Template, out var path)
                || !path.TryGetProperty(route.Verb.ToLowerInvariant(), out var operation))
            {
                missing.Add($"{route.Verb} {route.Template}: not in the document");
                continue;
            }

            if (route.Request is not null
                && !(operation.TryGetProperty("requestBody", out var body) && body.GetProperty("content").TryGetProperty(route.RequestContentType, out var json) && json.TryGetProperty("schema", out _)))
            {
                missing.Add($"{route.Verb} {route.Template}: no request schema");
            }

            var responses = operation.GetProperty("responses");
            if (!responses.TryGetProperty(route.Success.ToString(System.Globalization.CultureInfo.InvariantCulture), out var success))
            {
                missing.Add($"{route.Verb} {route.Template}: no {route.Success} answer");
            }
            else if (route.Response is not null && !(success.TryGetProperty("content", out var content) && content.TryGetProperty(route.ResponseContentType, out var media) && media.TryGetProperty("schema", out _)))
            {
                missing.Add($"{route.Verb} {route.Template}: no {route.Success} schema");
            }

            if (!(responses.TryGetProperty("400", out var problem) && problem.GetProperty("content").TryGetProperty("application/problem+json", out _)))
            {
                missing.Add($"{route.Verb} {route.Template}: no problem answer");
            }

            Assert.Equal(route.Name, operation.GetProperty("operationId").GetString());
        }

        Assert.True(missing.Count == 0, string.Join("\n", missing));

        // The schemas say what a client sends and gets, e.g. the registration's fields and a run's counters.
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var register = paths.GetProperty("/api/connections").GetProperty("post").GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.True(Resolve(register, schemas).GetProperty("properties").TryGetProperty("externalStoreId", out _), register.ToString());
        Assert.True(schemas.GetProperty("RunView").GetProperty("properties").TryGetProperty("percentComplete", out _));
        Assert.True(schemas.GetProperty("ProblemBody").GetProperty("properties").TryGetProperty("detail", out _));
        // Parameters come from the table too: the path's once each, the query's with their types.
        var runsParameters = paths.GetProperty("/api/connections/{id}/runs").GetProperty("get").GetProperty("parameters").EnumerateArray().ToList();
        Assert.Equal(["id:path", "pageSize:query", "continuationToken:query"], runsParameters.Select(p => p.GetProperty("name").GetString() + ":" + p.GetProperty("in").GetString()));
        Assert.Equal("integer", runsParameters[1].GetProperty("schema").GetProperty("type").GetString());
        Assert.Equal("apiKey", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("X-Api-Key").GetProperty("type").GetString());
    }

    /// <summary>A schema as given, or the component its <c>$ref</c> names.</summary>
    private static JsonElement Resolve(JsonElement schema, JsonElement schemas) =>
        schema.TryGetProperty("$ref", out var reference) ? schemas.GetProperty(reference.GetString()!.Split('/')[^1]) : schema;
}
