using FunctionsSync.Core.Api;
using FunctionsSync.Hosting.Api;
using Microsoft.AspNetCore.Diagnostics;

namespace FunctionsSync.Host.Api;

/// <summary>
/// Kestrel gave up reading a request (too slow a body under <c>Api:MinBodyBytesPerSecond</c>: 408; cut off or malformed:
/// 400): the client's doing, answered with its status and a problem body, not a 500. Nothing was written.
/// </summary>
internal sealed class BadTransferHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad || httpContext.Response.HasStarted)
        {
            return false;
        }

        await ApiEndpoints.ToResult(Problems.BadTransfer(bad.StatusCode)).ExecuteAsync(httpContext);
        return true;
    }
}
