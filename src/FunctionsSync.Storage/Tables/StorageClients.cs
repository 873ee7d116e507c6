using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Storage.Tables;

/// <summary>
/// The account's table and queue service clients, built once from <see cref="StorageOptions"/>: shared key from a
/// connection string, or Entra ID through <c>DefaultAzureCredential</c>. Every request goes through the SDK's
/// exponential retry with a bounded network timeout.
/// </summary>
internal sealed class StorageClients
{
    private const string DevelopmentStorage = "UseDevelopmentStorage=true";

    public StorageClients(IOptions<StorageOptions> options, StorageRequestCounter counter)
    {
        var o = options.Value;
        var tableOptions = new TableClientOptions();
        var queueOptions = new QueueClientOptions
        {
            // The Functions queue trigger reads Base64, and so did the messages queued before this SDK.
            MessageEncoding = QueueMessageEncoding.Base64,
        };
        Configure(tableOptions.Retry, o);
        Configure(queueOptions.Retry, o);
        // Per retry: each attempt the SDK sends is counted.
        tableOptions.AddPolicy(counter.PolicyFor(o.TablePrefix), HttpPipelinePosition.PerRetry);
        queueOptions.AddPolicy(counter.PolicyFor(o.TablePrefix), HttpPipelinePosition.PerRetry);
        // Per call, outside the retries: what is left of an outage once they are spent becomes StorageUnavailableException.
        tableOptions.AddPolicy(new StorageFaultPolicy(), HttpPipelinePosition.PerCall);
        queueOptions.AddPolicy(new StorageFaultPolicy(), HttpPipelinePosition.PerCall);

        if (o.UsesDevelopmentDefault || !string.IsNullOrWhiteSpace(o.ConnectionString))
        {
            var connectionString = string.IsNullOrWhiteSpace(o.ConnectionString) ? DevelopmentStorage : o.ConnectionString;
            Tables = new TableServiceClient(connectionString, tableOptions);
            Queues = new QueueServiceClient(connectionString, queueOptions);
        }
        else
        {
            TokenCredential credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions
            {
                ManagedIdentityClientId = string.IsNullOrWhiteSpace(o.ManagedIdentityClientId) ? null : o.ManagedIdentityClientId,
            });
            Tables = new TableServiceClient(o.ResolvedTableEndpoint, credential, tableOptions);
            Queues = new QueueServiceClient(o.ResolvedQueueEndpoint, credential, queueOptions);
        }

        Prefix = o.TablePrefix;
    }

    public TableServiceClient Tables { get; }

    public QueueServiceClient Queues { get; }

    public string Prefix { get; }

    private static void Configure(RetryOptions retry, StorageOptions o)
    {
        retry.Mode = RetryMode.Exponential;
        retry.MaxRetries = o.MaxRetries;
        retry.Delay = TimeSpan.FromMilliseconds(200);
        retry.MaxDelay = TimeSpan.FromSeconds(10);
        retry.NetworkTimeout = o.NetworkTimeout;
    }
}
