using FunctionsSync.Core.Api;
using FunctionsSync.Storage.Jobs;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Storage.Health;

/// <summary>One point read of the schedule row and one queue properties call: what answers says the service can reach each.</summary>
internal sealed class StorageHealth(TableProvider tables, QueueProvider queues) : IStorageHealth
{
    public async Task<IReadOnlyDictionary<string, string>> CheckAsync(CancellationToken cancellationToken)
    {
        var checks = new Dictionary<string, string>();
        try
        {
            var table = await tables.GetAsync(TableNames.Schedule, cancellationToken);
            await table.GetAsync("schedule", "state", cancellationToken);
            checks["tables"] = "ok";
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            checks["tables"] = "unreachable: " + ex.GetBaseException().Message;
        }

        try
        {
            var queue = await queues.GetAsync(TableNames.JobQueue, cancellationToken);
            await queue.GetPropertiesAsync(cancellationToken);
            checks["queues"] = "ok";
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            checks["queues"] = "unreachable: " + ex.GetBaseException().Message;
        }

        return checks;
    }
}
