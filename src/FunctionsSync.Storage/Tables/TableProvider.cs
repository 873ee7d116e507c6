using System.Collections.Concurrent;
using Azure.Data.Tables;

namespace FunctionsSync.Storage.Tables;

/// <summary>Hands out tables by logical name (with <c>Storage:TablePrefix</c>), creating each once per process.</summary>
internal sealed class TableProvider(StorageClients clients)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> tables = new();

    public Task<TableClient> GetAsync(string name, CancellationToken cancellationToken)
    {
        var lazy = tables.GetOrAdd(name, n => new Lazy<Task<TableClient>>(() => CreateAsync(n)));
        return lazy.Value.WaitAsync(cancellationToken);
    }

    private async Task<TableClient> CreateAsync(string name)
    {
        var table = clients.Tables.GetTableClient(StorageNames.Full(clients.Prefix, name));
        try
        {
            await table.CreateIfNotExistsAsync();
        }
        catch
        {
            // Not cached as failed: the next call tries again (storage may be back).
            tables.TryRemove(name, out _);
            throw;
        }

        return table;
    }
}
