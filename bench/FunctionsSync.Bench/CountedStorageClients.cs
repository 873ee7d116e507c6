using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DurableTask.AzureStorage;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Bench;

/// <summary>
/// The Durable Azure Storage provider's clients with every request counted by shape on a counter of their own: what a
/// task hub asks of the storage account, which is what Azure bills besides the app's own requests.
/// </summary>
internal static class CountedStorageClients
{
    /// <param name="hubName">Left out of the shapes, as a deployment's table prefix is.</param>
    public static StorageAccountClientProvider For(string connectionString, string hubName, StorageRequestCounter counter) => new(
        new Counted<BlobServiceClient, BlobClientOptions>(StorageServiceClientProvider.ForBlob(connectionString), counter, hubName),
        new Counted<QueueServiceClient, QueueClientOptions>(StorageServiceClientProvider.ForQueue(connectionString), counter, hubName),
        new Counted<TableServiceClient, TableClientOptions>(StorageServiceClientProvider.ForTable(connectionString), counter, hubName));

    private sealed class Counted<TClient, TOptions>(IStorageServiceClientProvider<TClient, TOptions> inner, StorageRequestCounter counter, string hubName)
        : IStorageServiceClientProvider<TClient, TOptions> where TOptions : ClientOptions
    {
        public TOptions CreateOptions()
        {
            var options = inner.CreateOptions();
            options.AddPolicy(counter.PolicyFor(hubName), HttpPipelinePosition.PerRetry);
            return options;
        }

        public TClient CreateClient(TOptions options) => inner.CreateClient(options);
    }
}
