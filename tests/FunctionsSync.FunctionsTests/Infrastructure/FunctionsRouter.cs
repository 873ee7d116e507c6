using System.Reflection;
using FunctionsSync.Core.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace FunctionsSync.FunctionsTests.Infrastructure;

/// <summary>
/// What the Functions host does with a request: finds the HTTP trigger whose route (Core's route table) and verb match,
/// binds its parameters (the request, route values by name, the Durable client) and invokes it on a real HttpContext.
/// Lets one client script run unchanged against both hosts.
/// </summary>
public sealed class FunctionsRouter(FunctionsApp app)
{
    private static readonly IReadOnlyList<(ApiRoute Route, TemplateMatcher Matcher, MethodInfo Method)> Triggers = [.. ApiRoutes.All.Select(route => (
        route,
        new TemplateMatcher(TemplateParser.Parse(route.Template), new RouteValueDictionary()),
        typeof(Functions.FunctionsAppRegistration).Assembly.GetTypes().SelectMany(t => t.GetMethods())
            .Single(m => m.GetCustomAttribute<FunctionAttribute>()?.Name == route.Name)))];

    /// <summary>Routes each call matched, by function name.</summary>
    public HashSet<ApiRoute> Matched { get; } = [];

    public async Task<HttpAnswer> SendAsync(string method, string path, object? body, string? key, string contentType = "application/json")
    {
        if (!new PathString(path.Split('?')[0]).StartsWithSegments("/" + ApiRoutes.Prefix, out var rest))
        {
            throw new ArgumentException($"{path} is not under /api");
        }

        foreach (var (route, matcher, trigger) in Triggers)
        {
            var values = new RouteValueDictionary();
            if (route.Verb == method && matcher.TryMatch(rest, values))
            {
                Matched.Add(route);
                var instance = typeof(FunctionsApp).GetMethod(nameof(FunctionsApp.Function))!.MakeGenericMethod(trigger.DeclaringType!).Invoke(app, null);
                return await HttpCall.InvokeAsync(request =>
                {
                    foreach (var (name, value) in values)
                    {
                        request.RouteValues[name] = value;
                    }

                    var arguments = trigger.GetParameters().Select(object (p) =>
                        p.ParameterType == typeof(HttpRequest) ? request
                        : p.ParameterType == typeof(DurableTaskClient) ? app.Client
                        : p.ParameterType == typeof(string) ? Uri.UnescapeDataString((string)values[p.Name!]!)
                        : throw new InvalidOperationException($"{route.Name}: cannot bind {p.Name}")).ToArray();
                    return (Task<IActionResult>)trigger.Invoke(instance, arguments)!;
                }, method, path, body, key, contentType);
            }
        }

        // No trigger of the table: the catch-all one (the host ranks it last).
        var fallback = app.Function<Functions.Http.FallbackFunction>();
        return await HttpCall.InvokeAsync(request => Task.FromResult(fallback.Run(request, rest.Value?.TrimStart('/'))), method, path, body, key, contentType);
    }
}
