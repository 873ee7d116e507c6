using FunctionsSync.Core.Access;
using FunctionsSync.Core.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace FunctionsSync.Hosting.Api;

/// <summary>
/// The OpenAPI document (<c>GET /openapi/v1.json</c>): each endpoint of the route table gets its name, tag, success
/// answer and problem answers (endpoint metadata) and its request body (an operation transformer) from <see cref="ApiContracts"/> (the handlers read raw bodies and return
/// <see cref="ApiResult"/>, so nothing is inferred from their signatures but the path and query parameters).
/// </summary>
public static class ApiDescriptions
{
    /// <summary>The document's name: <c>/openapi/v1.json</c>.</summary>
    public const string DocumentName = "v1";

    public static IServiceCollection AddFunctionsSyncOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "FunctionsSync",
                    Version = "v1",
                    Description = "Marketplace sync orchestration: connections, runs, conflicts, webhooks and live events. Every route but health and the receipt import needs X-Api-Key.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[ApiKeyAuthenticator.HeaderName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = ApiKeyAuthenticator.HeaderName,
                    Description = "The admin key, or an organization key issued by POST /api/admin/keys.",
                };
                return Task.CompletedTask;
            });

            // The request body from the contract. Not as AcceptsMetadata on the endpoint: routing would then choose
            // endpoints by content type and answer a wrong one itself, before the API's own 415 problem could.
            options.AddOperationTransformer(async (operation, context, cancellationToken) =>
            {
                var name = context.Description.ActionDescriptor.EndpointMetadata.OfType<IEndpointNameMetadata>().FirstOrDefault()?.EndpointName;
                if (name is null || !ApiContracts.ByRoute.TryGetValue(name, out var contract) || contract.Request is not { } request)
                {
                    return;
                }

                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(request, null, cancellationToken) },
                    },
                };
            });
        });

    /// <summary>A group convention: adds what the document says about the endpoint, found in the route table.</summary>
    public static void Describe(EndpointBuilder endpoint)
    {
        if (endpoint is not RouteEndpointBuilder route || route.RoutePattern.RawText is not { } raw)
        {
            return;
        }

        var verbs = endpoint.Metadata.OfType<IHttpMethodMetadata>().FirstOrDefault()?.HttpMethods ?? [];
        var template = raw.TrimStart('/');
        var entry = ApiRoutes.All.FirstOrDefault(r => ApiRoutes.Prefix + "/" + r.Template == template && verbs.Contains(r.Verb));
        if (entry is null || !ApiContracts.ByRoute.TryGetValue(entry.Name, out var contract))
        {
            return;
        }

        endpoint.Metadata.Add(new EndpointNameMetadata(entry.Name));
        endpoint.Metadata.Add(new TagsAttribute(entry.Template.Split('/')[0]));
        endpoint.Metadata.Add(new ProducesResponseTypeMetadata(contract.Success, contract.Response ?? typeof(void), contract.Response is null ? [] : [contract.ResponseType]));
        foreach (var status in ApiContracts.ProblemStatuses)
        {
            endpoint.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProblemBody), ["application/problem+json"]));
        }
    }
}
