using FunctionsSync.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.OpenApi;

namespace FunctionsSync.Hosting.Api;

/// <summary>
/// The OpenAPI document for a host without ASP.NET endpoints of its own (the Functions app): the self-hosted runtime's
/// endpoints mapped in a throwaway application that never listens, described by the same <see cref="ApiDescriptions"/>,
/// so both hosts serve one document. Built once, on first use (a few hundred milliseconds).
/// </summary>
public sealed class ApiDocument
{
    private readonly Lazy<Task<string>> json = new(BuildAsync);

    /// <summary>The document as JSON (OpenAPI 3.1, as the self-hosted runtime's <c>/openapi/v1.json</c>).</summary>
    public Task<string> JsonAsync() => json.Value;

    private static async Task<string> BuildAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        // The handlers' types must be known services, or the endpoints' parameters would be read as bodies; nothing is
        // resolved but the document provider.
        builder.Services.AddFunctionsSyncCore().AddFunctionsSyncApi();
        builder.Services.AddFunctionsSyncOpenApi();
        await using var app = builder.Build();
        app.MapFunctionsSyncApi();
        // What starting the application would do: hand its endpoints to routing, where the API explorer finds them.
        app.UseRouting();
        app.UseEndpoints(_ => { });
        var provider = app.Services.GetRequiredKeyedService<IOpenApiDocumentProvider>(ApiDescriptions.DocumentName);
        var document = await provider.GetOpenApiDocumentAsync(CancellationToken.None);
        return await document.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1, CancellationToken.None);
    }
}
