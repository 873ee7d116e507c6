using System.Collections.Concurrent;
using Azure.Storage.Queues;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Storage.Jobs;

/// <summary>Hands out queues by logical name (with <c>Storage:TablePrefix</c>, as tables are), creating each once per process.</summary>
internal sealed class QueueProvider(StorageClients clients)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<QueueClient>>> queues = new();

    public Task<QueueClient> GetAsync(string name, CancellationToken cancellationToken) =>
        queues.GetOrAdd(name, n => new Lazy<Task<QueueClient>>(() => CreateAsync(n))).Value.WaitAsync(cancellationToken);

    private async Task<QueueClient> CreateAsync(string name)
    {
        var queue = clients.Queues.GetQueueClient(StorageNames.Full(clients.Prefix, name));
        try
        {
            await queue.CreateIfNotExistsAsync();
        }
        catch
        {
            queues.TryRemove(name, out _);
            throw;
        }

        return queue;
    }
}
