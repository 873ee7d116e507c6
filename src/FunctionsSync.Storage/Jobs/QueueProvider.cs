using Azure.Storage.Queues;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Storage.Jobs;

/// <summary>Hands out queues by logical name (with <c>Storage:TablePrefix</c>, as tables are), creating each once per process.</summary>
internal sealed class QueueProvider(StorageClients clients)
{
    private readonly CreatedOnce<QueueClient> queues = new(async name =>
    {
        var queue = clients.Queues.GetQueueClient(StorageNames.Full(clients.Prefix, name));
        await queue.CreateIfNotExistsAsync();
        return queue;
    });

    public Task<QueueClient> GetAsync(string name, CancellationToken cancellationToken) => queues.GetAsync(name, cancellationToken);
}
