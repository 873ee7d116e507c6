using FunctionsSync.Core.Api;
using FunctionsSync.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.IntegrationTests;

/// <summary>The self-hosted runtime maps exactly Core's route table: the same verbs and templates as the Functions app's triggers.</summary>
[Collection(QuietCollection.Name)]
public sealed class RouteTableTests(AzuriteFixture storage)
{
    [Fact]
    public async Task Every_endpoint_under_api_is_a_route_of_the_table_and_every_route_is_mapped()
    {
        await using var host = new HostApp(storage, StorageServices.NewPrefix("routes"));
        _ = host.Client();
        var mapped = host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/" + ApiRoutes.Prefix + "/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(verb => (Verb: verb, Template: e.RoutePattern.RawText![(ApiRoutes.Prefix.Length + 2)..])))
            .OrderBy(r => r.Template).ThenBy(r => r.Verb)
            .ToList();

        Assert.Equal(ApiRoutes.All.Select(r => (r.Verb, r.Template)).OrderBy(r => r.Template).ThenBy(r => r.Verb), mapped);
    }
}
