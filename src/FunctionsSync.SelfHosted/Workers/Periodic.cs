using FunctionsSync.Core.Sync;

namespace FunctionsSync.SelfHosted.Workers;

/// <summary>A loop that does some work every interval until shutdown, surviving failures of single passes.</summary>
internal static class Periodic
{
    /// <summary>The least time between passes while storage is unreachable (the queue workers wait as long).</summary>
    internal static readonly TimeSpan StorageRetryDelay = TimeSpan.FromSeconds(2);

    /// <summary>Runs <paramref name="work"/> once per interval.</summary>
    public static Task RunAsync(
        string loop, WorkerPasses passes, Func<TimeSpan> interval, Func<CancellationToken, Task> work, Action<Exception> onError, TimeProvider time, CancellationToken stoppingToken) =>
        RunAsync(loop, passes, interval, async ct =>
        {
            await work(ct);
            return false;
        }, onError, time, stoppingToken);

    /// <param name="loop">The loop's name in <paramref name="passes"/>, which counts each pass it completes.</param>
    /// <param name="work">One pass; returns true when there may be more work right away (then it runs again at once).</param>
    public static async Task RunAsync(
        string loop, WorkerPasses passes, Func<TimeSpan> interval, Func<CancellationToken, Task<bool>> work, Action<Exception> onError, TimeProvider time, CancellationToken stoppingToken)
    {
        var storageDown = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            var more = false;
            try
            {
                more = await work(stoppingToken);
                storageDown = false;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (StorageUnavailableException ex)
            {
                // An outage is reported once, when it starts, not on every pass until it ends.
                if (!storageDown)
                {
                    onError(ex);
                }

                storageDown = true;
            }
            catch (Exception ex)
            {
                onError(ex);
            }

            passes.Completed(loop);
            if (!more)
            {
                try
                {
                    var wait = interval();
                    await Task.Delay(storageDown && wait < StorageRetryDelay ? StorageRetryDelay : wait, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
