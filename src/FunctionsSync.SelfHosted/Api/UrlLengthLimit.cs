using FunctionsSync.Core.Access;
using FunctionsSync.Core.Api;
using FunctionsSync.Hosting.Api;
using Microsoft.Extensions.Options;

namespace FunctionsSync.SelfHosted.Api;

/// <summary>A URL longer than <c>Api:MaxUrlLength</c> answers the app's 414 problem before routing (the Functions app's middleware does the same).</summary>
public static class UrlLengthLimit
{
    public static IApplicationBuilder UseUrlLengthLimit(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var limit = http.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.MaxUrlLength;
        if (Problems.UrlTooLong(http.Request.Path.ToUriComponent(), http.Request.QueryString.Value, limit) is { } problem)
        {
            await ApiResponses.WriteAsync(http, problem);
            return;
        }

        await next(http);
    });
}
