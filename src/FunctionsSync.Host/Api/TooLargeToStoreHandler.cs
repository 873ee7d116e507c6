using FunctionsSync.Core.Api;
using FunctionsSync.Core.Storage;
using FunctionsSync.Hosting.Api;
using Microsoft.AspNetCore.Diagnostics;

namespace FunctionsSync.Host.Api;

/// <summary>
/// A request whose values fit its documented limits but not storage as it would be written (escaped JSON, encryption)
/// answers 400 naming the field, nothing having been written (as the Functions app's middleware does), not a 500.
/// </summary>
internal sealed class TooLargeToStoreHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not TooLargeToStoreException tooLarge || httpContext.Response.HasStarted)
        {
            return false;
        }

        await ApiEndpoints.ToResult(Problems.TooLargeToStore(tooLarge)).ExecuteAsync(httpContext);
        return true;
    }
}
