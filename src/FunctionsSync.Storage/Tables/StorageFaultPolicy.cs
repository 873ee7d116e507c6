using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using FunctionsSync.Core.Sync;

namespace FunctionsSync.Storage.Tables;

/// <summary>
/// Turns "storage is not there" into Core's <see cref="StorageUnavailableException"/>, for every table and queue call:
/// sits outside the SDK's retry policy, so it sees what is left once the retries are spent (an
/// <see cref="AggregateException"/> of refused connections or timeouts, or a last 408/429/5xx answer). Callers then
/// stop without failing anything (a run is interrupted and resumed), instead of reading a transport error as a bug.
/// </summary>
internal sealed class StorageFaultPolicy : HttpPipelinePolicy
{
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            ProcessNext(message, pipeline);
        }
        catch (Exception ex) when (IsTransport(ex, message))
        {
            throw Unavailable(message, ex);
        }

        ThrowIfServerFault(message);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            await ProcessNextAsync(message, pipeline);
        }
        catch (Exception ex) when (IsTransport(ex, message))
        {
            throw Unavailable(message, ex);
        }

        ThrowIfServerFault(message);
    }

    /// <summary>No answer at all: refused, reset, timed out (not the caller's own cancellation).</summary>
    private static bool IsTransport(Exception ex, HttpMessage message) =>
        !message.CancellationToken.IsCancellationRequested &&
        ex is AggregateException or RequestFailedException { Status: 0 } or HttpRequestException or IOException or TaskCanceledException;

    private static void ThrowIfServerFault(HttpMessage message)
    {
        if (message.HasResponse && message.Response.Status is 408 or 429 or >= 500)
        {
            throw new StorageUnavailableException(
                $"Storage answered {message.Response.Status} {message.Response.ReasonPhrase} to {message.Request.Method} {Host(message)} after the client's retries.");
        }
    }

    private static StorageUnavailableException Unavailable(HttpMessage message, Exception ex) =>
        new($"Storage at {Host(message)} is unreachable after the client's retries: {ex.GetBaseException().Message}", ex);

    private static string Host(HttpMessage message) => $"{message.Request.Uri.Host}:{message.Request.Uri.Port}";
}
