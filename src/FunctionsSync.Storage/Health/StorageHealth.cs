using FunctionsSync.Core.Api;
using FunctionsSync.Storage.Jobs;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Storage.Health;

/// <summary>
/// One point read of the schedule row and one queue properties call, in parallel, each cut off at the timeout (which
/// also ends the storage client's retries): what answers says the service can reach each.
/// </summary>
internal sealed class StorageHealth(TableProvider tables, QueueProvider queues, TimeProvider time) : IStorageHealth
{
    public async Task<IReadOnlyDictionary<string, string>> CheckAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var checks = await Task.WhenAll(
            CheckAsync("tables", async ct =>
            {
                var table = await tables.GetAsync(TableNames.Schedule, ct);
                await table.GetAsync("schedule", "state", ct);
            }, timeout, cancellationToken),
            CheckAsync("queues", async ct =>
            {
                var queue = await queues.GetAsync(TableNames.JobQueue, ct);
                await queue.GetPropertiesAsync(ct);
            }, timeout, cancellationToken));
        return checks.ToDictionary(c => c.Name, c => c.State);
    }

    private async Task<(string Name, string State)> CheckAsync(string name, Func<CancellationToken, Task> probe, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await probe(linked.Token);
            return (name, IStorageHealth.Ok);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return (name, $"no answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return (name, "unreachable: " + ex.GetBaseException().Message);
        }
    }
}
