using DurableTask.AzureStorage;

namespace FunctionsSync.FunctionsTests.Infrastructure;

/// <summary>
/// Azure Storage provider settings as host.json gives the deployed app (partitionCount 4, the lease and polling
/// intervals), on the test's own task hub.
/// </summary>
public static class DurableBackend
{
    public static AzureStorageOrchestrationServiceSettings Settings(string connectionString, string prefix) => new()
    {
        TaskHubName = "hub" + prefix,
        StorageAccountClientProvider = new StorageAccountClientProvider(connectionString),
        PartitionCount = 4,
        MaxQueuePollingInterval = TimeSpan.FromMilliseconds(500),
        LeaseRenewInterval = TimeSpan.FromSeconds(1),
        LeaseAcquireInterval = TimeSpan.FromSeconds(1),
    };
}
