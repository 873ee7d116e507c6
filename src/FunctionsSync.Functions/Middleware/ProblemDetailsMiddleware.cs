using FunctionsSync.Core.Access;
using FunctionsSync.Core.Api;
using FunctionsSync.Core.Sync;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Functions.Middleware;

/// <summary>
/// The one exception handler of the Functions app: an HTTP trigger that throws answers a problem-details 500 (the
/// self-hosted runtime's <c>UseExceptionHandler</c> does the same), never the host's bare 500. Other triggers rethrow,
/// so their own retries (Durable, queue) apply.
/// </summary>
public sealed partial class ProblemDetailsMiddleware(IOptions<ApiOptions> options, ILogger<ProblemDetailsMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (context.GetHttpContext() is { } request
            && Problems.UrlTooLong(request.Request.Path.ToUriComponent(), request.Request.QueryString.Value, options.Value.MaxUrlLength) is { } tooLong)
        {
            await WriteAsync(request, tooLong);
            return;
        }

        try
        {
            await next(context);
        }
        catch (Exception ex) when (Problems.ForException(ex) is { } problem && context.GetHttpContext() is { Response.HasStarted: false } http)
        {
            // Not a bug (an outage: 503 with Retry-After; a value too large to store: 400, nothing written), as the
            // self-hosted runtime answers.
            if (ex is StorageUnavailableException)
            {
                LogStorageUnavailable(context.FunctionDefinition.Name, ex.Message);
            }

            await WriteAsync(http, problem);
        }
        catch (Exception ex) when (context.GetHttpContext() is { Response.HasStarted: false } http)
        {
            LogUnhandled(ex, context.FunctionDefinition.Name, context.InvocationId);
            await WriteAsync(http, context.InvocationId);
        }
    }

    /// <summary>Writes the 500 problem into <paramref name="http"/>'s response.</summary>
    public static Task WriteAsync(HttpContext http, string traceId) => WriteAsync(http, Problems.Internal(traceId));

    private static Task WriteAsync(HttpContext http, ApiResult problem) => ApiResponses.WriteAsync(http, problem);

    [LoggerMessage(7002, LogLevel.Warning, "Function {Function}: storage unreachable ({Reason}); answered 503")]
    private partial void LogStorageUnavailable(string function, string reason);

    [LoggerMessage(7001, LogLevel.Error, "Function {Function} (invocation {InvocationId}) failed")]
    private partial void LogUnhandled(Exception exception, string function, string invocationId);
}
