using FunctionsSync.Core.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Core.Api;

/// <summary>
/// What every route of <see cref="ApiRoutes"/> goes through, on both hosts: the API key (401 before the body is read),
/// the body rules (<see cref="ApiBodies"/>), the whole-number query parameters, then the handler. Its answer is written
/// by <see cref="ApiResponses"/>.
/// </summary>
public sealed class ApiPipeline(ApiKeyAuthenticator authenticator, IOptions<ApiOptions> options)
{
    /// <param name="services">What the handler is resolved from.</param>
    /// <param name="routeValues">The route's values, decoded.</param>
    public async Task<ApiResult> InvokeAsync(HttpContext http, ApiRoute route, IReadOnlyDictionary<string, string> routeValues, IServiceProvider services)
    {
        var request = http.Request;
        ApiCaller? caller = null;
        if (route.RequiresKey)
        {
            caller = await authenticator.AuthenticateAsync(request.Headers[ApiKeyAuthenticator.HeaderName], http.RequestAborted);
            if (caller is null)
            {
                return Problems.Unauthorized();
            }
        }

        var (body, problem) = await ApiBodies.ReadRequestAsync(
            request.Method, request.ContentType, request.ContentLength, request.Headers.TransferEncoding.Count > 0, request.Body, options.Value.MaxBodyBytes, http.RequestAborted);
        if (problem is not null)
        {
            return problem;
        }

        foreach (var parameter in route.Query.Where(p => p.WholeNumber))
        {
            if (!ApiQuery.TryInt(request.Query[parameter.Name].FirstOrDefault(), parameter.Name, out _, out var bad))
            {
                return bad;
            }
        }

        var feature = new ApiRequestFeature(caller, body);
        http.Features.Set(feature);
        return await route.Handler(new ApiCall(http, services, feature, routeValues));
    }
}
