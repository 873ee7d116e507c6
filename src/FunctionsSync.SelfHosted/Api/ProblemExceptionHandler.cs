using FunctionsSync.Core.Api;
using FunctionsSync.Core.Sync;
using FunctionsSync.Hosting.Api;
using Microsoft.AspNetCore.Diagnostics;

namespace FunctionsSync.SelfHosted.Api;

/// <summary>
/// Failures that are not bugs answer with the app's problem body, as the Functions app's middleware does, not the
/// exception handler's 500: a storage outage (503 with <c>Retry-After</c>; the client may retry), a value too large to
/// store (400 naming the field; nothing was written) (both <see cref="Problems.ForException"/>), and a request Kestrel
/// gave up reading (too slow a body under <c>Api:MinBodyBytesPerSecond</c>: 408; cut off or malformed: 400).
/// </summary>
internal sealed partial class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception is BadHttpRequestException bad ? Problems.BadTransfer(bad.StatusCode) : Problems.ForException(exception);
        if (problem is null || httpContext.Response.HasStarted)
        {
            return false;
        }

        if (exception is StorageUnavailableException)
        {
            LogStorageUnavailable(httpContext.Request.Path, exception.Message);
        }

        await ApiResponses.WriteAsync(httpContext, problem);
        return true;
    }

    [LoggerMessage(6203, LogLevel.Warning, "{Path}: storage unreachable ({Reason}); answered 503")]
    private partial void LogStorageUnavailable(string path, string reason);
}
