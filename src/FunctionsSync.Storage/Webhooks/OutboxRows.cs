using FunctionsSync.Core.Webhooks;
using Microsoft.WindowsAzure.Storage.Table;

namespace FunctionsSync.Storage.Webhooks;

/// <summary>
/// Outbox rows (<c>outbox|{eventId}</c>) live in the partition of the state change they report, so the change and its
/// event are one entity-group transaction: run events in <c>syncstate</c>, conflict events in <c>conflicts</c>.
/// </summary>
internal static class OutboxRows
{
    public const string Prefix = "outbox|";

    public static DynamicTableEntity ToEntity(string partition, OutboxEvent e) => new(partition, Prefix + e.EventId)
    {
        Properties =
        {
            ["Type"] = new EntityProperty(e.Type),
            ["OrganizationId"] = new EntityProperty(e.OrganizationId),
            ["ConnectionId"] = new EntityProperty(e.ConnectionId),
            ["CreatedAt"] = new EntityProperty(e.CreatedAt),
            ["Payload"] = new EntityProperty(e.Payload),
        },
    };

    public static OutboxEvent FromEntity(DynamicTableEntity entity) => new(
        entity.RowKey[Prefix.Length..],
        entity.Properties["Type"].StringValue,
        entity.Properties["OrganizationId"].StringValue,
        entity.Properties["ConnectionId"].StringValue,
        entity.Properties["CreatedAt"].DateTimeOffsetValue ?? DateTimeOffset.MinValue,
        entity.Properties["Payload"].StringValue);
}
