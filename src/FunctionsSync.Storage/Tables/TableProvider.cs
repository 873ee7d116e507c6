using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Microsoft.WindowsAzure.Storage;
using Microsoft.WindowsAzure.Storage.Table;

namespace FunctionsSync.Storage.Tables;

/// <summary>Hands out tables by logical name, creating each once per process.</summary>
public sealed class TableProvider
{
    private readonly CloudTableClient client;
    private readonly string prefix;
    private readonly ConcurrentDictionary<string, Lazy<Task<CloudTable>>> tables = new();

    public TableProvider(IOptions<StorageOptions> options)
    {
        var account = CloudStorageAccount.Parse(options.Value.ConnectionString);
        client = account.CreateCloudTableClient();
        prefix = options.Value.TablePrefix;
    }

    public Task<CloudTable> GetAsync(string name, CancellationToken cancellationToken)
    {
        var lazy = tables.GetOrAdd(name, n => new Lazy<Task<CloudTable>>(() => CreateAsync(prefix + n)));
        return lazy.Value.WaitAsync(cancellationToken);
    }

    private async Task<CloudTable> CreateAsync(string fullName)
    {
        var table = client.GetTableReference(fullName);
        await table.CreateIfNotExistsAsync();
        return table;
    }
}
