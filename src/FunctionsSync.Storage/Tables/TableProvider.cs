using Azure.Data.Tables;

namespace FunctionsSync.Storage.Tables;

/// <summary>Hands out tables by logical name (with <c>Storage:TablePrefix</c>), creating each once per process.</summary>
internal sealed class TableProvider(StorageClients clients)
{
    private readonly CreatedOnce<TableClient> tables = new(async name =>
    {
        var table = clients.Tables.GetTableClient(StorageNames.Full(clients.Prefix, name));
        await table.CreateIfNotExistsAsync();
        return table;
    });

    public Task<TableClient> GetAsync(string name, CancellationToken cancellationToken) => tables.GetAsync(name, cancellationToken);
}
