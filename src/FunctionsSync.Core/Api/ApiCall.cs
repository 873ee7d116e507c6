using FunctionsSync.Core.Access;
using Microsoft.AspNetCore.Http;

namespace FunctionsSync.Core.Api;

/// <summary>
/// One request as a handler of the route table sees it, on either host: the authenticated caller, the checked raw body,
/// the route values (decoded), the query and the services to resolve the handler from.
/// </summary>
public sealed class ApiCall(HttpContext http, IServiceProvider services, ApiRequestFeature request, IReadOnlyDictionary<string, string> routeValues)
{
    public IServiceProvider Services => services;

    /// <summary>The key's caller; a route without <see cref="ApiRoute.RequiresKey"/> has none.</summary>
    public ApiCaller Caller => request.Caller ?? throw new InvalidOperationException("This route is not authenticated by an API key.");

    public string? Body => request.Body;

    public CancellationToken Aborted => http.RequestAborted;

    public string Route(string name) => routeValues.TryGetValue(name, out var value) ? value : throw new InvalidOperationException($"The route has no value {name}.");

    public string? Query(string name) => http.Request.Query[name].FirstOrDefault();

    /// <summary>A whole-number parameter the pipeline has already checked (<see cref="ApiQueryParameter.Int"/>).</summary>
    public int? Int(string name) => Query(name) is { Length: > 0 } raw ? int.Parse(raw, System.Globalization.CultureInfo.InvariantCulture) : null;

    public string? Header(string name) => http.Request.Headers[name].FirstOrDefault();
}

/// <summary>
/// The request's typed feature (<c>HttpContext.Features</c>): who called and the body, read once and
/// checked, set by <see cref="ApiPipeline"/> before the handler runs.
/// </summary>
public sealed record ApiRequestFeature(ApiCaller? Caller, string? Body);
