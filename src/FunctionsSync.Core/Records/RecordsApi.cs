using System.Text.Json.Nodes;
using System.Text.Json;
using FunctionsSync.Core.Access;
using FunctionsSync.Core.Api;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Ingestion;

namespace FunctionsSync.Core.Records;

/// <summary>
/// <c>/api/connections/{id}/records/{entityType}/{externalId}</c>: one stored record, and local changes to it by
/// downstream systems (which the next sync weighs against the marketplace's changes).
/// </summary>
public sealed class RecordsApi(IStoredRecords records, IRecordQuery query, ConnectionAccess access, IActivityLog activity, TimeProvider time)
{
    /// <summary>A table string property holds 64 KiB (UTF-16): 32,768 characters, less room to spare.</summary>
    public const int MaxRecordJsonChars = 30_000;

    private static readonly JsonDocumentOptions StrictDocument = new() { AllowDuplicateProperties = false };

    /// <summary>A local edit names the record's own fields only, once each: no field is dropped silently.</summary>
    private static readonly JsonSerializerOptions StrictRecord = new(RecordJson.Options)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
    };
    public async Task<ApiResult<RecordView>> GetAsync(ApiCaller caller, string connectionId, string entityType, string externalId, CancellationToken cancellationToken)
    {
        var (type, problem) = await FindAsync(caller, connectionId, entityType, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        return await records.GetAsync(connectionId, type!.Value, externalId, cancellationToken) is { } stored
            ? ApiResult.Ok(View(stored))
            : Problems.NotFound($"No {type.Value.ToWire()} record {externalId} on connection {connectionId}.");
    }

    /// <summary>
    /// <c>GET /api/connections/{id}/records/{entityType}?pageSize=&amp;continuationToken=&amp;includeDeleted=</c>: the
    /// stored records, paged; tombstones (records deleted at the marketplace) only when <c>includeDeleted=true</c>.
    /// </summary>
    public async Task<ApiResult<RecordListView>> ListAsync(ApiCaller caller, string connectionId, string entityType, int? pageSize, string? continuationToken, string? includeDeleted, CancellationToken cancellationToken)
    {
        if (includeDeleted is not (null or "true" or "false"))
        {
            return Problems.BadRequest("includeDeleted must be true or false.", new Dictionary<string, string[]> { ["includeDeleted"] = ["true or false"] });
        }

        if (pageSize is < 1 or > MaxListPage)
        {
            return Problems.OutOfRange("pageSize", 1, MaxListPage);
        }

        var (type, problem) = await FindAsync(caller, connectionId, entityType, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        try
        {
            var page = await query.ListPageAsync(connectionId, type!.Value, pageSize ?? DefaultListPage, continuationToken, includeDeleted == "true", cancellationToken);
            return ApiResult.Ok(new RecordListView([.. page.Items.Select(View)], page.ContinuationToken));
        }
        catch (FormatException)
        {
            return Problems.BadContinuation();
        }
    }

    private const int DefaultListPage = 100;
    private const int MaxListPage = 500;

    /// <summary><c>PUT …/records/{entityType}/{externalId}</c>: the whole record as it should be, a local change.</summary>
    public async Task<ApiResult<RecordView>> EditAsync(ApiCaller caller, string connectionId, string entityType, string externalId, string? body, CancellationToken cancellationToken)
    {
        var (type, node, problem) = await ReadAsync(caller, connectionId, entityType, body, "a valid {0} record", cancellationToken);
        return problem ?? await ApplyAsync(caller, connectionId, type, externalId, node!, cancellationToken);
    }

    /// <summary>
    /// <c>PATCH …/records/{entityType}/{externalId}</c> with a JSON merge patch (RFC 7396,
    /// <c>application/merge-patch+json</c>): the members it names replace the stored record's, <c>null</c> removes one,
    /// an object merges into the member's object; everything else stays. The result must be a valid record, as a
    /// <c>PUT</c>'s body must (its id is the route's).
    /// </summary>
    public async Task<ApiResult<RecordView>> PatchAsync(ApiCaller caller, string connectionId, string entityType, string externalId, string? body, CancellationToken cancellationToken)
    {
        var (type, patch, problem) = await ReadAsync(caller, connectionId, entityType, body, "a JSON merge patch of a {0} record", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (await records.GetAsync(connectionId, type, externalId, cancellationToken) is not { } stored)
        {
            return Problems.NotFound($"No {type.ToWire()} record {externalId} on connection {connectionId}; only synced records can be changed locally.");
        }

        var merged = JsonMergePatch.Apply(RecordJson.ToApiNode(stored.Record), patch!);
        // The change time is the edit's unless the patch sets one.
        if (!patch!.ContainsKey("updatedAt"))
        {
            merged.Remove("updatedAt");
        }

        return await ApplyAsync(caller, connectionId, type, externalId, merged, cancellationToken);
    }

    /// <summary>
    /// What a <c>PUT</c> or <c>PATCH</c> of a record first checks: the connection and entity type, the body's size, and
    /// that it is one JSON object without duplicate members (<paramref name="what"/> names it in the problem, {0} the type).
    /// </summary>
    private async Task<(EntityType Type, JsonObject? Body, ApiResult? Problem)> ReadAsync(
        ApiCaller caller, string connectionId, string entityType, string? body, string what, CancellationToken cancellationToken)
    {
        var (type, problem) = await FindAsync(caller, connectionId, entityType, cancellationToken);
        if (problem is not null)
        {
            return (default, null, problem);
        }

        // A local change is kept within what a record may take (a table row stores larger ones across properties).
        if (body?.Length > MaxRecordJsonChars)
        {
            return (type!.Value, null, Problems.BadRequest($"The record is too large: at most {MaxRecordJsonChars} characters of JSON.",
                new Dictionary<string, string[]> { ["body"] = [$"At most {MaxRecordJsonChars} characters."] }));
        }

        try
        {
            return (type!.Value, JsonNode.Parse(body ?? "", documentOptions: StrictDocument) as JsonObject ?? throw new JsonException("The body must be a JSON object."), null);
        }
        catch (JsonException ex)
        {
            return (type!.Value, null, Problems.BadRequest($"The body is not {string.Format(System.Globalization.CultureInfo.InvariantCulture, what, type.Value.ToWire())}: {ex.Message}"));
        }
    }

    /// <summary>The record <paramref name="node"/> describes, stored as a local change with its activity entry.</summary>
    private async Task<ApiResult<RecordView>> ApplyAsync(ApiCaller caller, string connectionId, EntityType type, string externalId, JsonObject node, CancellationToken cancellationToken)
    {
        CanonicalRecord record;
        try
        {
            node.Remove("$type");
            node["externalId"] = externalId;
            node["updatedAt"] ??= time.GetUtcNow();
            record = (CanonicalRecord?)node.Deserialize(ClrType(type), StrictRecord) ?? throw new JsonException("The body must be a JSON object.");
        }
        catch (JsonException ex)
        {
            return Problems.BadRequest($"The body is not a valid {type.ToWire()} record: {ex.Message}");
        }

        if (!await records.EditLocallyAsync(connectionId, record, cancellationToken))
        {
            return Problems.NotFound($"No {type.ToWire()} record {externalId} on connection {connectionId}; only synced records can be changed locally.");
        }

        await activity.AppendAsync(new ActivityEntry(connectionId, time.GetUtcNow(), caller.Actor, "record.edited", $"{type.ToWire()} {externalId}", "Changed locally."), cancellationToken);
        var stored = await records.GetAsync(connectionId, type, externalId, cancellationToken);
        return ApiResult.Ok(View(stored!));
    }

    private async Task<(EntityType? Type, ApiResult? Problem)> FindAsync(ApiCaller caller, string connectionId, string entityType, CancellationToken cancellationToken)
    {
        if (!EntityTypes.TryParse(entityType, out var type))
        {
            return (null, Problems.BadRequest($"Unknown entity type '{entityType}'.", new Dictionary<string, string[]> { ["entityType"] = ["Must be orders, customers, products or prices."] }));
        }

        return await access.FindAsync(caller, connectionId, cancellationToken) is null
            ? (null, ConnectionAccess.NotFound(connectionId))
            : (type, null);
    }

    private static Type ClrType(EntityType type) => type switch
    {
        EntityType.Orders => typeof(OrderRecord),
        EntityType.Customers => typeof(CustomerRecord),
        EntityType.Products => typeof(ProductRecord),
        _ => typeof(PriceRecord),
    };

    private static RecordView View(StoredRecord stored) => new(
        RecordJson.ToApi(stored.Record),
        stored.State.LocalHash is not null,
        stored.State.SourceUpdatedAt,
        stored.WrittenAt,
        stored.State.Deleted,
        stored.State.DeletedAt);
}
