namespace FunctionsSync.Storage.Tables;

/// <summary>Logical table and queue names; <see cref="StorageNames.Full"/> adds <c>Storage:TablePrefix</c>.</summary>
public static class TableNames
{
    public const string Connections = "connections";
    public const string SyncState = "syncstate";
    public const string Records = "records";

    /// <summary>The ids a full run's feeds listed, per bucket, until the run reconciles them (<see cref="Ingestion.TableRecordReconciliation"/>).</summary>
    public const string RecordSeen = "recordseen";
    public const string Schedule = "schedule";
    public const string ApiKeys = "apikeys";
    public const string OrganizationSlots = "orgslots";
    public const string JobQueue = "syncjobs";
    public const string Conflicts = "conflicts";
    public const string Notifications = "notifications";
    public const string Activity = "activity";
    public const string Receipts = "receipts";
    public const string Webhooks = "webhooks";
    public const string WebhookDeliveries = "webhookdeliveries";
    public const string WebhookQueue = "webhookevents";

    /// <summary>Amazon's SP-API notifications, forwarded from its SQS destination (<see cref="Notifications.AmazonNotificationQueue"/>).</summary>
    public const string AmazonNotificationQueue = "amazonnotifications";

    /// <summary>Index partitions (one per purpose) that turn listings across partitions into key-range reads.</summary>
    public const string Indexes = "indexes";
}
