using FunctionsSync.Core.Api;
using FunctionsSync.Core.Sync;
using FunctionsSync.Hosting.Api;
using Microsoft.AspNetCore.Diagnostics;

namespace FunctionsSync.Host.Api;

/// <summary>
/// A request that meets a storage outage answers 503 with <c>Retry-After</c> and the app's problem body (as the
/// Functions app's middleware does), not the exception handler's 500: the client did nothing wrong and may retry.
/// </summary>
internal sealed partial class StorageUnavailableHandler(ILogger<StorageUnavailableHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not StorageUnavailableException || httpContext.Response.HasStarted)
        {
            return false;
        }

        LogStorageUnavailable(httpContext.Request.Path, exception.Message);
        await ApiEndpoints.ToResult(Problems.StorageUnavailable()).ExecuteAsync(httpContext);
        return true;
    }

    [LoggerMessage(6203, LogLevel.Warning, "{Path}: storage unreachable ({Reason}); answered 503")]
    private partial void LogStorageUnavailable(string path, string reason);
}
