namespace FunctionsSync.Core.Webhooks;

/// <summary>
/// An event waiting in the outbox: written in the same entity-group transaction as the state change it reports,
/// so it exists exactly when the change does; dispatching it to endpoints happens afterwards.
/// </summary>
/// <param name="EventId">Also the <c>webhook-id</c> receivers deduplicate on.</param>
/// <param name="Payload">The JSON body sent to endpoints: <c>{type, timestamp, data}</c>.</param>
public sealed record OutboxEvent(string EventId, string Type, string OrganizationId, string ConnectionId, DateTimeOffset CreatedAt, string Payload);
