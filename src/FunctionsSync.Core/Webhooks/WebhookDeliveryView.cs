using System.Text.Json;

namespace FunctionsSync.Core.Webhooks;

/// <param name="ConnectionId">The connection the event is about, as its payload names it (<c>data.connectionId</c>); null for none.</param>
/// <param name="RunId">The run the event is about (<c>data.runId</c>); null for an event of no run.</param>
public sealed record WebhookDeliveryView(
    string Id, string EndpointId, string EventId, string EventType, DeliveryStatus Status, int Attempts, DateTimeOffset? NextAttemptAt,
    string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt, IReadOnlyList<DeliveryAttempt> Log, string? ConnectionId = null, string? RunId = null)
{
    public static WebhookDeliveryView From(WebhookDelivery d)
    {
        var (connectionId, runId) = Subject(d.Payload);
        return new(
            d.Id, d.EndpointId, d.EventId, d.EventType, d.Status, d.Attempts, d.Status == DeliveryStatus.Pending ? d.NextAttemptAt : null,
            d.LastError, d.CreatedAt, d.DeliveredAt, d.Log, connectionId, runId);
    }

    /// <summary>What the payload (<see cref="WebhookPayloads"/>: <c>{…, data: {connectionId, runId, …}}</c>) is about, so a list shows it without the payload.</summary>
    private static (string? ConnectionId, string? RunId) Subject(string payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
                ? (Text(data, "connectionId"), Text(data, "runId"))
                : (null, null);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static string? Text(JsonElement data, string name) =>
        data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
