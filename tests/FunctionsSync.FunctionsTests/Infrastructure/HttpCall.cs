using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.FunctionsTests.Infrastructure;

/// <summary>
/// Invokes an HTTP trigger on a real <see cref="HttpContext"/> (method, path, headers, body), executes the result it
/// returns into that context's response, and reads the response back as a client would.
/// </summary>
public static class HttpCall
{
    private static readonly IServiceProvider ResultServices = new ServiceCollection().AddLogging().AddMvcCore().Services.BuildServiceProvider();

    public static async Task<HttpAnswer> InvokeAsync(
        Func<HttpRequest, Task<IActionResult>> function, string method, string path, object? body = null, string? key = FunctionsApp.AdminKey, string contentType = "application/json")
    {
        var context = new DefaultHttpContext { RequestServices = ResultServices };
        context.Request.Method = method;
        var query = path.IndexOf('?');
        // Decoded, as Kestrel hands the path to the worker.
        context.Request.Path = PathString.FromUriComponent(query < 0 ? path : path[..query]);
        context.Request.QueryString = query < 0 ? QueryString.Empty : new QueryString(path[query..]);
        if (key is not null)
        {
            context.Request.Headers["X-Api-Key"] = key;
        }

        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body as string ?? JsonSerializer.Serialize(body, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
            context.Request.ContentType = contentType;
            context.Request.ContentLength = bytes.Length;
            context.Request.Body = new MemoryStream(bytes);
        }

        var response = new MemoryStream();
        context.Response.Body = response;
        var result = await function(context.Request);
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        var text = Encoding.UTF8.GetString(response.ToArray());
        var json = text.Length > 0 && context.Response.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) != false;
        return new HttpAnswer(context.Response.StatusCode, context.Response.ContentType, json ? JsonDocument.Parse(text).RootElement.Clone() : null)
        {
            Text = text,
            Headers = context.Response.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
        };
    }
}

public sealed record HttpAnswer(int Status, string? ContentType, JsonElement? Body)
{
    /// <summary>The body as sent (for what is not JSON, e.g. an event stream).</summary>
    public string Text { get; init; } = "";

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public JsonElement Json => Body ?? throw new InvalidOperationException($"HTTP {Status} had no body.");
}
