using System.ComponentModel.DataAnnotations;

namespace FunctionsSync.Storage;

/// <summary>
/// Bound from configuration section <c>Storage</c>. Either <see cref="ConnectionString"/> (Azurite, shared key) or an
/// account reached with Entra ID (<see cref="AccountName"/>, or <see cref="TableEndpoint"/> and <see cref="QueueEndpoint"/>)
/// through <c>DefaultAzureCredential</c>: managed identity in Azure, the developer's sign-in elsewhere.
/// </summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string SectionName = "Storage";

    /// <summary>Azure Storage connection string; <c>UseDevelopmentStorage=true</c> for Azurite on its default ports.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Storage account name for keyless access: endpoints <c>https://{name}.table|queue.core.windows.net</c>.</summary>
    public string? AccountName { get; set; }

    /// <summary>Table endpoint for keyless access (another cloud, a private endpoint); overrides the one <see cref="AccountName"/> implies.</summary>
    public Uri? TableEndpoint { get; set; }

    /// <summary>Queue endpoint for keyless access; overrides the one <see cref="AccountName"/> implies.</summary>
    public Uri? QueueEndpoint { get; set; }

    /// <summary>Client id of a user-assigned managed identity; empty for the system-assigned one.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>Prepended to every table and queue name, so several deployments (or test classes) share one account.</summary>
    [RegularExpression("^([a-z][a-z0-9]{0,19})?$", ErrorMessage = "TablePrefix must be lowercase letters and digits, starting with a letter, at most 20 characters.")]
    public string TablePrefix { get; set; } = "";

    /// <summary>
    /// Partitions each (connection, entity type) of stored records is spread over. Fixed per connection when its
    /// first record is written (later changes apply to new connections only).
    /// </summary>
    [Range(1, 64)]
    public int RecordBuckets { get; set; } = 8;

    /// <summary>Retries of a storage request the SDK makes on a transient failure (exponential back-off).</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 4;

    /// <summary>How long one storage request may take on the network before it is retried.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>True when neither a connection string nor an account is configured: Azurite on its default ports.</summary>
    internal bool UsesDevelopmentDefault => string.IsNullOrWhiteSpace(ConnectionString) && string.IsNullOrWhiteSpace(AccountName) && TableEndpoint is null && QueueEndpoint is null;

    internal Uri ResolvedTableEndpoint => TableEndpoint ?? new Uri($"https://{AccountName}.table.core.windows.net");

    internal Uri ResolvedQueueEndpoint => QueueEndpoint ?? new Uri($"https://{AccountName}.queue.core.windows.net");

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var keyless = !string.IsNullOrWhiteSpace(AccountName) || TableEndpoint is not null || QueueEndpoint is not null;
        if (!string.IsNullOrWhiteSpace(ConnectionString) && keyless)
        {
            yield return new ValidationResult("Set either Storage:ConnectionString or Storage:AccountName / Storage:TableEndpoint + Storage:QueueEndpoint, not both.",
                [nameof(ConnectionString), nameof(AccountName)]);
        }

        if (keyless && string.IsNullOrWhiteSpace(AccountName) && (TableEndpoint is null || QueueEndpoint is null))
        {
            yield return new ValidationResult("Without Storage:AccountName both Storage:TableEndpoint and Storage:QueueEndpoint are needed.",
                [nameof(TableEndpoint), nameof(QueueEndpoint)]);
        }
    }
}
