using Azure.Data.Tables;
using FunctionsSync.Core.Webhooks;

namespace FunctionsSync.Storage.Webhooks;

/// <summary>
/// Outbox rows (<c>outbox|{eventId}</c>) live in the partition of the state change they report, so the change and its
/// event are one entity-group transaction: run events in <c>syncstate</c>, conflict events in <c>conflicts</c>.
/// </summary>
internal static class OutboxRows
{
    public const string Prefix = "outbox|";

    public static TableEntity ToEntity(string partition, OutboxEvent e) => new(partition, Prefix + e.EventId)
    {
        ["Type"] = e.Type,
        ["OrganizationId"] = e.OrganizationId,
        ["ConnectionId"] = e.ConnectionId,
        ["CreatedAt"] = e.CreatedAt,
        ["Payload"] = e.Payload,
    };

    public static OutboxEvent FromEntity(TableEntity entity) => new(
        entity.RowKey[Prefix.Length..],
        entity.GetString("Type"),
        entity.GetString("OrganizationId"),
        entity.GetString("ConnectionId"),
        entity.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
        entity.GetString("Payload"));
}
