using System.Text.Json.Nodes;
using FunctionsSync.Core.Api;
using FunctionsSync.FunctionsTests.Infrastructure;
using FunctionsSync.Functions.Http;
using FunctionsSync.Hosting.Api;
using FunctionsSync.IntegrationTests.Infrastructure;

namespace FunctionsSync.FunctionsTests;

/// <summary>The Functions app serves the self-hosted runtime's OpenAPI document, from its own trigger.</summary>
[Collection(FunctionsCollection.Name)]
public sealed class OpenApiFunctionTests(AzuriteFixture storage)
{
    [Fact]
    public async Task The_Functions_app_serves_the_same_document_as_the_self_hosted_runtime()
    {
        var function = new OpenApiFunction(new ApiDocument());
        var answer = await HttpCall.InvokeAsync(_ => function.Run(null!), "GET", "/api/openapi/v1.json", key: null);
        Assert.Equal(200, answer.Status);
        Assert.StartsWith("application/json", answer.ContentType);
        var functions = JsonNode.Parse(answer.Text!)!.AsObject();

        await using var host = new HostApp(storage, "openapifn" + Guid.NewGuid().ToString("N")[..6]);
        using var client = host.CreateClient();
        var selfHosted = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!.AsObject();

        // Servers name the address a request came in on; everything else is the API's and must match.
        selfHosted.Remove("servers");
        functions.Remove("servers");
        Assert.Equal(selfHosted.ToJsonString(), functions.ToJsonString());

        var paths = functions["paths"]!.AsObject();
        Assert.All(ApiRoutes.All, route => Assert.NotNull(paths["/" + ApiRoutes.Prefix + "/" + route.Template]?[route.Verb.ToLowerInvariant()]));
    }
}
