using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Microsoft.WindowsAzure.Storage;
using Microsoft.WindowsAzure.Storage.Queue;

namespace FunctionsSync.Storage.Jobs;

/// <summary>Hands out queues by logical name, creating each once per process.</summary>
public sealed class QueueProvider
{
    private readonly CloudQueueClient client;
    private readonly string prefix;
    private readonly ConcurrentDictionary<string, Lazy<Task<CloudQueue>>> queues = new();

    public QueueProvider(IOptions<StorageOptions> options)
    {
        client = CloudStorageAccount.Parse(options.Value.ConnectionString).CreateCloudQueueClient();
        prefix = options.Value.TablePrefix;
    }

    public Task<CloudQueue> GetAsync(string name, CancellationToken cancellationToken) =>
        queues.GetOrAdd(name, n => new Lazy<Task<CloudQueue>>(() => CreateAsync(prefix + n))).Value.WaitAsync(cancellationToken);

    private async Task<CloudQueue> CreateAsync(string fullName)
    {
        var queue = client.GetQueueReference(fullName);
        await queue.CreateIfNotExistsAsync();
        return queue;
    }
}
