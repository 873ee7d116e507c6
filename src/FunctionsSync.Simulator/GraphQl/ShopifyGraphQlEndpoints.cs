using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FunctionsSync.Simulator.Data;
using FunctionsSync.Simulator.Endpoints;

namespace FunctionsSync.Simulator.GraphQl;

/// <summary>
/// Shopify's GraphQL Admin API (<c>POST /admin/api/{version}/graphql.json</c>) for what a sync reads: the
/// <c>orders</c>, <c>products</c> and <c>customers</c> connections (<c>first</c> ≤ 250, <c>after</c>,
/// <c>query: "updated_at:&gt;='…'"</c>, <c>sortKey: UPDATED_AT</c>; cursor paging stops at 25,000 objects), bulk queries
/// (<c>bulkOperationRunQuery</c>, <c>bulkOperationCancel</c>, <c>currentBulkOperation</c>, <c>node(id:)</c>; one at a
/// time per shop; a JSONL result with <c>__parentId</c> lines, served with Range support) and the cost model: a query
/// is charged its requested cost up front (objects 1, connections 2 + first × their node), refunded to its actual
/// cost, at most 1,000 points, refused <c>THROTTLED</c> when the store's bucket lacks it; every answer reports
/// <c>extensions.cost</c> with <c>throttleStatus</c>.
/// </summary>
internal static partial class ShopifyGraphQlEndpoints
{
    public const int MaxFirst = 250;
    public const int MaxQueryCost = 1_000;
    public const int PaginationLimit = 25_000;
    private const int MutationCost = 10;

    private static readonly byte[] SigningKey = RandomNumberGenerator.GetBytes(32);

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/shopify/{storeId}/admin/api/{version}/graphql.json", async (HttpContext http, SimulatorState state, string storeId) =>
        {
            JsonNode? body;
            try
            {
                body = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
            }
            catch (JsonException)
            {
                body = null;
            }

            return await SimResponder.ServeAsync(http, state, ShopifyEndpoints.Dialect, storeId, store => Execute(http, state, store, body), SimResponder.CostPaced);
        });
        app.MapGet("/shopify/{storeId}/bulk-files/{operationId}.jsonl", DownloadAsync);
    }

    private static SimResult Execute(HttpContext http, SimulatorState state, SimStore store, JsonNode? body)
    {
        if (body is not JsonObject request || request["query"]?.GetValueKind() != JsonValueKind.String)
        {
            return SimResult.Fail(SimResponder.BadRequest(new { errors = new { query = "Required parameter missing or invalid" } }));
        }

        GqlOperation operation;
        try
        {
            var variables = request["variables"] is JsonObject v
                ? v.ToDictionary(p => p.Key, p => JsonSerializer.SerializeToElement(p.Value))
                : new Dictionary<string, JsonElement>();
            store.GraphQlDocuments.TryAdd(new SimGraphQlDocument(http.GetRouteValue("version") as string ?? "", false, request["query"]!.GetValue<string>()), 0);
            operation = GqlParser.Parse(request["query"]!.GetValue<string>(), variables);
        }
        catch (GqlException ex)
        {
            return SimResult.Ok(Errors(ex.Message, "GRAPHQL_PARSE_ERROR"));
        }

        var now = state.Time.GetUtcNow();
        var bucket = store.CostBucket;
        var requested = operation.IsMutation ? MutationCost : ShopifyGraphQlNodes.RequestedCost(operation.Fields);
        if (requested > MaxQueryCost)
        {
            var refused = Errors($"Query cost is {requested}, which exceeds the single query max cost limit ({MaxQueryCost}).", "MAX_COST_EXCEEDED");
            refused["extensions"] = Cost(requested, null, bucket, bucket.MaximumAvailable);
            return SimResult.Ok(refused);
        }

        var limited = state.RateLimitsEnabled;
        if (limited)
        {
            var (admitted, available) = bucket.TryTake(requested, now);
            if (!admitted)
            {
                var throttled = Errors("Throttled", "THROTTLED");
                throttled["extensions"] = Cost(requested, null, bucket, available);
                return SimResult.Ok(throttled);
            }
        }

        var actual = operation.IsMutation ? MutationCost : 0;
        var data = new JsonObject();
        try
        {
            foreach (var field in operation.Fields)
            {
                data[field.Name] = operation.IsMutation ? Mutate(http, state, store, field) : Resolve(http, state, store, field, ref actual);
            }
        }
        catch (GqlException ex)
        {
            var failed = Errors(ex.Message, "BAD_REQUEST");
            failed["extensions"] = Cost(requested, requested, bucket, limited ? bucket.Refund(0, now) : bucket.MaximumAvailable);
            return SimResult.Ok(failed);
        }

        var left = limited ? bucket.Refund(requested - actual, now) : bucket.MaximumAvailable;
        return SimResult.Ok(new JsonObject { ["data"] = data, ["extensions"] = Cost(requested, actual, bucket, left) });
    }

    private static JsonObject Errors(string message, string code) =>
        new() { ["errors"] = new JsonArray(new JsonObject { ["message"] = message, ["extensions"] = new JsonObject { ["code"] = code } }) };

    private static JsonObject Cost(int requested, int? actual, SimCostBucket bucket, double available) => new()
    {
        ["cost"] = new JsonObject
        {
            ["requestedQueryCost"] = requested,
            ["actualQueryCost"] = actual,
            ["throttleStatus"] = new JsonObject
            {
                ["maximumAvailable"] = bucket.MaximumAvailable,
                ["currentlyAvailable"] = Math.Floor(available),
                ["restoreRate"] = bucket.RestoreRate,
            },
        },
    };

    private static SimKind? KindOf(string field) => field switch
    {
        "orders" => SimKind.Orders,
        "products" => SimKind.Products,
        "customers" => SimKind.Customers,
        _ => null,
    };

    private static JsonNode? Resolve(HttpContext http, SimulatorState state, SimStore store, GqlField field, ref int cost)
    {
        if (KindOf(field.Name) is { } kind)
        {
            return Page(state, store, kind, field, ref cost);
        }

        if (field.Name.EndsWith("Count", StringComparison.Ordinal) && KindOf(field.Name[..^"Count".Length]) is { } counted)
        {
            var filter = Filter(field.Argument("query") as string);
            cost += 1;
            var count = new JsonObject { ["count"] = filter.Ids is null ? store.CountMatching(counted, filter.Min, filter.MinExclusive, filter.Max) : store.Feed(counted, filter).Count(), ["precision"] = "EXACT" };
            return ShopifyGraphQlNodes.Project(count, field.Selection, ref cost);
        }

        switch (field.Name)
        {
            case "events":
                return ShopifyEvents.Page(store, field, ref cost);
            case "currentBulkOperation":
                var current = store.BulkOperations.Values.MaxBy(o => o.Id);
                cost += 1;
                return current is null ? null : Describe(http, state, store, current, field.Selection);
            case "node":
                cost += 1;
                var id = field.Argument("id") as string;
                var operation = store.BulkOperations.Values.FirstOrDefault(o => o.Gid == id);
                return operation is null ? null : Describe(http, state, store, operation, field.Fields("BulkOperation"));
            default:
                throw new GqlException($"Field '{field.Name}' doesn't exist on type 'QueryRoot'");
        }
    }

    private static JsonObject Page(SimulatorState state, SimStore store, SimKind kind, GqlField field, ref int cost)
    {
        var first = field.Argument("first") as long? ?? throw new GqlException($"You must provide one of first or last to paginate the '{field.Name}' connection.");
        if (first is < 1 or > MaxFirst)
        {
            throw new GqlException($"The '{field.Name}' connection accepts first between 1 and {MaxFirst}.");
        }

        if (field.Argument("sortKey") is { } sortKey && sortKey as string != "UPDATED_AT")
        {
            throw new GqlException("This simulator sorts by UPDATED_AT only.");
        }

        FeedQuery query;
        var position = 0;
        if (field.Argument("after") is string after)
        {
            var dot = after.LastIndexOf('.');
            if (dot < 0 || !FeedToken.TryDecode(after[..dot], out query) || !int.TryParse(after[(dot + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out position))
            {
                throw new GqlException("Invalid cursor.");
            }

            if (position >= PaginationLimit)
            {
                throw new GqlException($"Cursor-based pagination is limited to {PaginationLimit} objects; narrow the query (e.g. by updated_at) to read on.");
            }
        }
        else
        {
            query = Filter(field.Argument("query") as string);
        }

        var take = (int)Math.Min(first, PaginationLimit - position);
        var refs = store.Feed(kind, query).Take(take + 1).ToList();
        var page = refs.Take(take).ToList();
        var nodes = page.Select(at => ShopifyGraphQlNodes.Render(store, kind, at).WithFaults(state, at.Index)).ToList();
        cost += 2;
        return ShopifyGraphQlNodes.Connection(nodes, field, ref cost, hasNext: refs.Count > take, cursor: i => $"{FeedToken.Encode(query, page[i])}.{position + i + 1}");
    }

    public static FeedQuery FilterFor(string search) => Filter(search);

    /// <summary>Shopify's search syntax, as far as a sync uses it: <c>updated_at:&gt;='…'</c> (and &gt;, &lt;=), joined by AND.</summary>
    private static FeedQuery Filter(string? search)
    {
        DateTimeOffset? min = null;
        DateTimeOffset? max = null;
        var exclusive = false;
        if (string.IsNullOrWhiteSpace(search))
        {
            return new FeedQuery(null, false, null);
        }

        foreach (Match term in SearchTerm().Matches(search))
        {
            if (!DateTimeOffset.TryParse(term.Groups[2].Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                throw new GqlException($"Invalid date in query: {term.Groups[2].Value}");
            }

            switch (term.Groups[1].Value)
            {
                case ">=":
                    min = at;
                    break;
                case ">":
                    min = at;
                    exclusive = true;
                    break;
                default:
                    max = at;
                    break;
            }
        }

        // id:N terms joined by OR name records (an id filter on each list, contracts/shopify/admin_2026-04.json.gz).
        var ids = IdTerm().Matches(search).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        return new FeedQuery(min, exclusive, max, Ids: ids.Count > 0 ? ids : null);
    }

    [GeneratedRegex(@"updated_at:(>=|>|<=)'?([0-9T:\-\.Z+]+)'?")]
    private static partial Regex SearchTerm();

    [GeneratedRegex(@"(?<![\w_])id:([0-9]{1,18})\b")]
    private static partial Regex IdTerm();

    /// <summary>
    /// <c>groupObjects</c> of <c>bulkOperationRunQuery</c>: an argument from 2025-07, defaulting to true until 2025-10
    /// and to false from 2026-01 (contracts/shopify/docs/changelog-bulk-groupObjects.md, bulkOperationRunQuery.md).
    /// </summary>
    private static bool GroupObjects(HttpContext http, GqlField field)
    {
        var version = http.GetRouteValue("version") as string ?? "";
        if (!field.Arguments.TryGetValue("groupObjects", out var value))
        {
            return string.CompareOrdinal(version, "2026-01") < 0;
        }

        return string.CompareOrdinal(version, "2025-07") < 0
            ? throw new GqlException("Field 'bulkOperationRunQuery' doesn't accept argument 'groupObjects'")
            : value as bool? ?? throw new GqlException("Argument 'groupObjects' on Field 'bulkOperationRunQuery' has an invalid value. Expected type 'Boolean!'.");
    }

    private static JsonNode? Mutate(HttpContext http, SimulatorState state, SimStore store, GqlField field)
    {
        var now = state.Time.GetUtcNow();
        var userErrors = new JsonArray();
        SimBulkOperation? operation = null;
        switch (field.Name)
        {
            case "bulkOperationRunQuery":
                var text = field.Argument("query") as string ?? throw new GqlException("Argument 'query' on Field 'bulkOperationRunQuery' is required.");
                store.GraphQlDocuments.TryAdd(new SimGraphQlDocument(http.GetRouteValue("version") as string ?? "", true, text), 0);
                // From 2026-01 an app may run up to five bulk queries at a time per shop, before it one (Shopify's bulk
                // operations guide, shopify.dev/docs/api/usage/bulk-operations/queries, and its 2025-12-15 changelog
                // "Faster bulk operations"; the contracts' older excerpt predates it). The refusal's wording past five
                // is not documented: the one-at-a-time message is used for both.
                var version = http.GetRouteValue("version") as string ?? "";
                var running = store.BulkOperations.Values.Where(o => o.IsRunning).ToList();
                if (running.Count >= (string.CompareOrdinal(version, "2026-01") >= 0 ? 5 : 1))
                {
                    userErrors.Add(new JsonObject { ["field"] = null, ["message"] = $"A bulk query operation for this app and shop is already in progress: {running[0].Gid}." });
                    break;
                }

                GqlField root;
                try
                {
                    var parsed = GqlParser.Parse(text);
                    root = parsed.Fields is [var only] && KindOf(only.Name) is not null
                        ? only
                        : throw new GqlException("Bulk queries must contain one top-level connection field.");
                }
                catch (GqlException ex)
                {
                    userErrors.Add(new JsonObject { ["field"] = new JsonArray("query"), ["message"] = ex.Message });
                    break;
                }

                operation = new SimBulkOperation(store.NextBulkOperationId(), root, KindOf(root.Name)!.Value, now, state.Faults.FailBulkAfterObjects)
                {
                    Grouped = GroupObjects(http, field),
                    DropObjects = state.Faults.DropFromBulkFiles,
                };
                store.BulkOperations[operation.Id] = operation;
                operation.Begin(o => ShopifyBulkFiles.Write(store, o));
                break;
            case "bulkOperationCancel":
                operation = store.BulkOperations.Values.FirstOrDefault(o => o.Gid == field.Argument("id") as string);
                if (operation is null)
                {
                    userErrors.Add(new JsonObject { ["field"] = new JsonArray("id"), ["message"] = "Bulk operation does not exist" });
                    break;
                }

                operation.Cancel(now);
                break;
            default:
                throw new GqlException($"Field '{field.Name}' doesn't exist on type 'Mutation'");
        }

        var answer = new JsonObject();
        foreach (var part in field.Selection)
        {
            answer[part.Name] = part.Name switch
            {
                "bulkOperation" => operation is null ? null : Describe(http, state, store, operation, part.Selection, poll: false),
                "userErrors" => userErrors.DeepClone(),
                _ => throw new GqlException($"Field '{part.Name}' doesn't exist on the payload of '{field.Name}'"),
            };
        }

        return answer;
    }

    /// <summary>A bulk operation's fields; reading it is what moves it on (a poll).</summary>
    private static JsonObject Describe(HttpContext http, SimulatorState state, SimStore store, SimBulkOperation operation, IEnumerable<GqlField> selection, bool poll = true)
    {
        if (poll)
        {
            operation.Poll(store.Config.BulkPolls, state.Time.GetUtcNow());
        }

        var url = operation.File is null ? null : SignedUrl(http, store, operation);
        var all = new JsonObject
        {
            ["__typename"] = "BulkOperation",
            ["id"] = operation.Gid,
            ["status"] = operation.Status,
            ["errorCode"] = operation.Status == "FAILED" ? "INTERNAL_SERVER_ERROR" : null,
            ["createdAt"] = operation.CreatedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["completedAt"] = operation.CompletedAt?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["objectCount"] = operation.ObjectCount.ToString(CultureInfo.InvariantCulture),
            ["rootObjectCount"] = operation.RootObjectCount.ToString(CultureInfo.InvariantCulture),
            ["fileSize"] = operation.File is null ? null : operation.FileSize.ToString(CultureInfo.InvariantCulture),
            // As Shopify: no file when the query matched nothing.
            ["url"] = operation.Status == "COMPLETED" && operation.ObjectCount > 0 ? url : null,
            ["partialDataUrl"] = operation.Status == "FAILED" ? url : null,
            ["query"] = operation.Root.Name,
            ["type"] = "QUERY",
        };
        var cost = 0;
        return ShopifyGraphQlNodes.Project(all, selection, ref cost);
    }

    private static string SignedUrl(HttpContext http, SimStore store, SimBulkOperation operation) =>
        $"{http.Request.Scheme}://{http.Request.Host}/shopify/{Uri.EscapeDataString(store.StoreId)}/bulk-files/{operation.Id}.jsonl?signature={Sign(store.StoreId, operation.Id)}";

    private static string Sign(string storeId, long operationId) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(SigningKey, Encoding.UTF8.GetBytes($"{storeId}\n{operationId}")));

    /// <summary>The result file (Google Cloud Storage's in reality): signed, with Range support; a cut-off fault ends a download early.</summary>
    private static async Task DownloadAsync(HttpContext http, SimulatorState state, string storeId, long operationId)
    {
        var store = state.GetStore("shopify", storeId);
        var operation = store?.BulkOperations.GetValueOrDefault(operationId);
        var valid = operation?.File is not null && http.Request.Query["signature"] == Sign(storeId, operationId);
        var range = http.Request.Headers.Range.ToString();
        state.Record(new SimRequest(state.Time.GetUtcNow(), "shopify", storeId, http.Request.Path + (range.Length > 0 ? "#" + range : ""), valid ? 200 : 403, null, http.Request.Method));
        if (!valid)
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            await http.Response.WriteAsync("<Error><Code>AccessDenied</Code></Error>");
            return;
        }

        if (range.Length == 0 && state.TakeDownloadCut() is { } cut)
        {
            // The connection drops part-way: the length was announced, fewer bytes arrive. The response ends short
            // rather than by HttpContext.Abort, which may discard bytes already written: Kestrel then closes the
            // connection after sending them, so the client holds exactly the bytes the fault names.
            http.Response.ContentType = "application/jsonl";
            http.Response.ContentLength = operation!.FileSize;
            await using var file = File.OpenRead(operation.File!);
            var buffer = new byte[Math.Min(cut, operation.FileSize)];
            await file.ReadExactlyAsync(buffer);
            await http.Response.Body.WriteAsync(buffer);
            return;
        }

        if (state.Faults.DownloadBytesPerSecond is > 0 and var pace)
        {
            await PacedDownloadAsync(http, state, operation!, range, pace);
            return;
        }

        operation!.Served(operation.FileSize);
        await Results.File(operation.File!, "application/jsonl", enableRangeProcessing: true).ExecuteAsync(http);
    }

    /// <summary>The file (from a <c>bytes=N-</c> range's start, 206) sent a tenth of a second's worth at a time.</summary>
    private static async Task PacedDownloadAsync(HttpContext http, SimulatorState state, SimBulkOperation operation, string range, long pace)
    {
        long from = 0;
        if (range.StartsWith("bytes=", StringComparison.Ordinal) && long.TryParse(range[6..].TrimEnd('-'), out var start) && start < operation.FileSize)
        {
            from = start;
            http.Response.StatusCode = StatusCodes.Status206PartialContent;
            http.Response.Headers.ContentRange = $"bytes {from}-{operation.FileSize - 1}/{operation.FileSize}";
        }

        http.Response.ContentType = "application/jsonl";
        http.Response.ContentLength = operation.FileSize - from;
        await using var file = File.OpenRead(operation.File!);
        file.Seek(from, SeekOrigin.Begin);
        var buffer = new byte[Math.Max(1, pace / 10)];
        int read;
        while ((read = await file.ReadAsync(buffer, http.RequestAborted)) > 0)
        {
            await http.Response.Body.WriteAsync(buffer.AsMemory(0, read), http.RequestAborted);
            await http.Response.Body.FlushAsync(http.RequestAborted);
            operation.Served(read);
            await Task.Delay(TimeSpan.FromMilliseconds(100), state.Time, http.RequestAborted);
        }
    }
}
