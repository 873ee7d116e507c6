using FunctionsSync.Core.Api;
using FunctionsSync.Storage.Jobs;
using FunctionsSync.Storage.Tables;
using Microsoft.WindowsAzure.Storage.Table;

namespace FunctionsSync.Storage.Health;

public sealed class StorageHealth(TableProvider tables, QueueProvider queues) : IStorageHealth
{
    public async Task<IReadOnlyDictionary<string, string>> CheckAsync(CancellationToken cancellationToken)
    {
        var checks = new Dictionary<string, string>();
        try
        {
            var table = await tables.GetAsync(TableNames.Connections, cancellationToken);
            await table.ExecuteQuerySegmentedAsync(new TableQuery<DynamicTableEntity>().Take(1), null, null, null, cancellationToken);
            checks["tables"] = "ok";
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            checks["tables"] = "unreachable: " + ex.GetBaseException().Message;
        }

        try
        {
            var queue = await queues.GetAsync(TableNames.JobQueue, cancellationToken);
            await queue.FetchAttributesAsync(null, null, cancellationToken);
            checks["queues"] = "ok";
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            checks["queues"] = "unreachable: " + ex.GetBaseException().Message;
        }

        return checks;
    }
}
