using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsSync.Core.Access;
using FunctionsSync.Core.Activity;
using FunctionsSync.Core.Ingestion;
using FunctionsSync.Core.Records;

namespace FunctionsSync.Core.Api;

/// <summary>
/// <c>/api/connections/{id}/records/{entityType}/{externalId}</c>: one stored record, and local changes to it by
/// downstream systems (which the next sync weighs against the marketplace's changes).
/// </summary>
public sealed class RecordsApi(IStoredRecords records, ConnectionsApi connectionsApi, IActivityLog activity, TimeProvider time)
{
    public async Task<ApiResult> GetAsync(ApiCaller caller, string connectionId, string entityType, string externalId, CancellationToken cancellationToken)
    {
        var (type, problem) = await FindAsync(caller, connectionId, entityType, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        return await records.GetAsync(connectionId, type!.Value, externalId, cancellationToken) is { } stored
            ? new ApiResult(200, View(stored))
            : Problems.NotFound($"No {type.Value.ToWire()} record {externalId} on connection {connectionId}.");
    }

    public async Task<ApiResult> EditAsync(ApiCaller caller, string connectionId, string entityType, string externalId, string? body, CancellationToken cancellationToken)
    {
        var (type, problem) = await FindAsync(caller, connectionId, entityType, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        CanonicalRecord record;
        try
        {
            var node = JsonNode.Parse(body ?? "") as JsonObject ?? throw new JsonException("The body must be a JSON object.");
            node.Remove("$type");
            node["externalId"] = externalId;
            node["updatedAt"] ??= time.GetUtcNow();
            record = (CanonicalRecord?)node.Deserialize(ClrType(type!.Value), RecordJson.Options) ?? throw new JsonException("The body must be a JSON object.");
        }
        catch (JsonException ex)
        {
            return Problems.BadRequest($"The body is not a valid {type!.Value.ToWire()} record: {ex.Message}");
        }

        if (!await records.EditLocallyAsync(connectionId, record, cancellationToken))
        {
            return Problems.NotFound($"No {type!.Value.ToWire()} record {externalId} on connection {connectionId}; only synced records can be changed locally.");
        }

        await activity.AppendAsync(new ActivityEntry(connectionId, time.GetUtcNow(), caller.Actor, "record.edited", $"{type!.Value.ToWire()} {externalId}", "Changed locally."), cancellationToken);
        var stored = await records.GetAsync(connectionId, type.Value, externalId, cancellationToken);
        return new ApiResult(200, View(stored!));
    }

    private async Task<(EntityType? Type, ApiResult? Problem)> FindAsync(ApiCaller caller, string connectionId, string entityType, CancellationToken cancellationToken)
    {
        if (!EntityTypes.TryParse(entityType, out var type))
        {
            return (null, Problems.BadRequest($"Unknown entity type '{entityType}'.", new Dictionary<string, string[]> { ["entityType"] = ["Must be orders, customers, products or prices."] }));
        }

        return await connectionsApi.FindAsync(caller, connectionId, cancellationToken) is null
            ? (null, ConnectionsApi.NotFound(connectionId))
            : (type, null);
    }

    private static Type ClrType(EntityType type) => type switch
    {
        EntityType.Orders => typeof(OrderRecord),
        EntityType.Customers => typeof(CustomerRecord),
        EntityType.Products => typeof(ProductRecord),
        _ => typeof(PriceRecord),
    };

    private static object View(StoredRecord stored) => new
    {
        record = JsonSerializer.SerializeToElement(stored.Record, RecordJson.Options),
        changedLocally = stored.State.LocalHash is not null,
        sourceUpdatedAt = stored.State.SourceUpdatedAt,
        writtenAt = stored.WrittenAt,
    };
}
