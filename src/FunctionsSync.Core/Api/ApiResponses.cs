using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace FunctionsSync.Core.Api;

/// <summary>
/// The one writer of the API's answers, on both hosts and for the exception handlers: status, headers, and the body as
/// JSON (problems as <c>application/problem+json</c>) or as the streamed body writes itself.
/// </summary>
public static class ApiResponses
{
    public static async Task WriteAsync(HttpContext http, ApiResult result)
    {
        var response = http.Response;
        response.StatusCode = result.Status;
        foreach (var (name, value) in result.Headers())
        {
            response.Headers[name] = value;
        }

        switch (result.Body)
        {
            case null:
                return;
            case StreamedBody streamed:
                response.ContentType = streamed.ContentType;
                await streamed.WriteAsync(http);
                return;
            default:
                response.ContentType = result.IsProblem ? "application/problem+json" : "application/json";
                await JsonSerializer.SerializeAsync(response.Body, result.Body, result.Body.GetType(), ApiJson.Options, http.RequestAborted);
                return;
        }
    }
}
