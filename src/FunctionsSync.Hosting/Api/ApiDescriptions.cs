using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using FunctionsSync.Core.Access;
using FunctionsSync.Core.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace FunctionsSync.Hosting.Api;

/// <summary>
/// The OpenAPI document (<c>GET /openapi/v1.json</c>), derived from the route table: each route's name, tag, success
/// status and body type, and problem answers (endpoint metadata), its request body type and query parameters (an
/// operation transformer, since the endpoints read raw requests and nothing can be inferred from their signatures).
/// </summary>
public static class ApiDescriptions
{
    /// <summary>The document's name: <c>/openapi/v1.json</c>.</summary>
    public const string DocumentName = "v1";

    /// <summary>The problem statuses a route can answer besides its success (all of them: the body rules apply everywhere).</summary>
    public static IReadOnlyList<int> ProblemStatuses { get; } = [400, 401, 403, 404, 409, 413, 415, 422, 503];

    public static IServiceCollection AddFunctionsSyncOpenApi(this IServiceCollection services) =>
        services
            // The schemas are made from these serializer options: the API's own (ApiJson), so an enum is described as
            // the string it is written as, not as an integer.
            .ConfigureHttpJsonOptions(json =>
            {
                foreach (var converter in ApiJson.Options.Converters)
                {
                    json.SerializerOptions.Converters.Add(converter);
                }

                json.SerializerOptions.DefaultIgnoreCondition = ApiJson.Options.DefaultIgnoreCondition;
                // Numbers are written as numbers: described so, though the API also reads them from strings.
                json.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            })
            .AddOpenApi(DocumentName, options =>
            {
                // A record's body is any JSON object: described inline, not as a schema named after JsonElement.
                options.CreateSchemaReferenceId = type => (Nullable.GetUnderlyingType(type.Type) ?? type.Type) == typeof(JsonElement) ? null : OpenApiOptions.CreateDefaultSchemaReferenceId(type);
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
                    // Every operation needs the key unless it says otherwise (health, the receipt import).
                    document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyAuthenticator.HeaderName, document)] = [] }];
                    foreach (var server in document.Servers ?? [])
                    {
                        server.Url = server.Url?.TrimEnd('/');
                    }

                    document.Tags = new HashSet<OpenApiTag>(TagDescriptions.Select(t => new OpenApiTag { Name = t.Key, Description = t.Value }));
                    return Task.CompletedTask;
                });

                // The API leaves null members out of its answers (ApiJson): a member that can be null is not required.
                // An enum is a string (or null) of its values: said as a type too, for generators that read only types.
                options.AddSchemaTransformer((schema, context, _) =>
                {
                    if (schema.Enum is { Count: > 0 } values && schema.Type is null)
                    {
                        schema.Type = values.Any(v => v is null) ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
                    }

                    if (schema.Required is { Count: > 0 } required)
                    {
                        foreach (var property in context.JsonTypeInfo.Properties.Where(p => p.IsGetNullable || Nullable.GetUnderlyingType(p.PropertyType) is not null))
                        {
                            required.Remove(property.Name);
                        }
                    }

                    return Task.CompletedTask;
                });

                // Not as AcceptsMetadata on the endpoint: routing would then choose endpoints by content type and answer a
                // wrong one itself, before the API's own 415 problem could.
                options.AddOperationTransformer(async (operation, context, cancellationToken) =>
                {
                    var method = context.Description.HttpMethod;
                    var route = context.Description.ActionDescriptor.EndpointMetadata.OfType<ApiRoute>().FirstOrDefault(r => string.Equals(r.Verb, method, StringComparison.OrdinalIgnoreCase));
                    if (route is null)
                    {
                        return;
                    }

                    operation.Summary = route.Summary;
                    if (!route.RequiresKey)
                    {
                        operation.Security = [];
                    }

                    operation.Parameters ??= [];
                    foreach (var name in route.Template.Split('/').Where(s => s.StartsWith('{')).Select(s => s.Trim('{', '}')))
                    {
                        if (!operation.Parameters.Any(p => p.Name == name))
                        {
                            operation.Parameters.Add(new OpenApiParameter { Name = name, In = ParameterLocation.Path, Required = true, Schema = new OpenApiSchema { Type = JsonSchemaType.String } });
                        }
                    }

                    foreach (var query in route.Query)
                    {
                        operation.Parameters.Add(new OpenApiParameter
                        {
                            Name = query.Name,
                            In = ParameterLocation.Query,
                            Schema = new OpenApiSchema
                            {
                                Type = query.WholeNumber ? JsonSchemaType.Integer : JsonSchemaType.String,
                                Minimum = query.WholeNumber ? "0" : null,
                                Enum = query.Values is { Count: > 0 } values ? [.. values.Select(v => (JsonNode)JsonValue.Create(v))] : null,
                            },
                        });
                    }

                    if (route.Request is { } request)
                    {
                        operation.RequestBody = new OpenApiRequestBody
                        {
                            Required = true,
                            Content = new Dictionary<string, OpenApiMediaType>
                            {
                                [route.RequestContentType] = new() { Schema = await context.GetOrCreateSchemaAsync(request, null, cancellationToken) },
                            },
                        };
                    }
                });
            });

    /// <summary>The document's tags (a route's first segment), each with what its routes are for.</summary>
    private static readonly IReadOnlyDictionary<string, string> TagDescriptions = new Dictionary<string, string>
    {
        ["health"] = "Whether the service and its storage answer.",
        ["orders"] = "Receipts pushed by a merchant's system with a connection's sync token.",
        ["sync"] = "The schedule, manual triggers and the service's status.",
        ["runs"] = "Runs: progress, pause, resume, cancel.",
        ["connections"] = "Marketplace connections, their runs, activity and stored records.",
        ["conflicts"] = "Conflicts between local edits and marketplace changes, and their resolution.",
        ["webhooks"] = "Outbound webhook endpoints and their deliveries.",
        ["events"] = "The live event stream.",
        ["admin"] = "Organization API keys.",
    };

    /// <summary>What the document says about the endpoint of <paramref name="routes"/> (one template and name).</summary>
    public static void Describe(RouteHandlerBuilder endpoint, IReadOnlyList<ApiRoute> routes)
    {
        var route = routes[0];
        endpoint.WithName(route.Name).WithTags(route.Tag).WithMetadata([.. routes]);
        endpoint.Produces(route.Success, route.Response, route.Response is null ? null : route.ResponseContentType);
        foreach (var status in route.AlsoAnswers)
        {
            endpoint.Produces(status, route.Response, route.ResponseContentType);
        }

        foreach (var status in ProblemStatuses.Except(route.AlsoAnswers))
        {
            endpoint.Produces<ProblemBody>(status, "application/problem+json");
        }
    }
}
