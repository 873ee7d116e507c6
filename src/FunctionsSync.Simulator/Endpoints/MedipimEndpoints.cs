using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsSync.Simulator.Data;

namespace FunctionsSync.Simulator.Endpoints;

/// <summary>
/// MediPim API v4's products (contracts/medipim/api-v4-official-pages.excerpts.md): <c>POST /v4/products/query</c>
/// (<c>filter</c>, <c>sorting</c> and <c>page</c> required; page sizes 10, 50, 100 or 250; <c>meta.total</c> and
/// <c>meta.page</c>) and <c>POST /v4/products/stream</c> (the same without paging, one <c>{"meta": {"total", "index"},
/// "result"}</c> line per product written as it goes, 204 when nothing matches), behind HTTP Basic with the API key id
/// and secret, and 100 requests a minute (429 <c>too_many_requests</c>, no <c>Retry-After</c>). The error body's shape
/// is not published: <c>{"error": {"code", "message"}}</c> here.
/// </summary>
internal static class MedipimEndpoints
{
    private static readonly int[] PageSizes = [10, 50, 100, 250];

    private static readonly Dialect Dialect = new(
        "medipim",
        Authorize,
        () => Results.Json(Error("unauthorized", "Invalid API key or secret."), statusCode: StatusCodes.Status401Unauthorized),
        (_, _, _) => { },
        () => Error("too_many_requests", "Too many requests."),
        SendsRetryAfter: false);

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/medipim/{storeId}/v4/products/query", async (HttpContext http, SimulatorState state, string storeId) =>
        {
            var body = await ReadBodyAsync(http);
            return await SimResponder.ServeAsync(http, state, Dialect, storeId, store => Query(store, body, paged: true));
        });
        app.MapPost("/medipim/{storeId}/v4/products/stream", async (HttpContext http, SimulatorState state, string storeId) =>
        {
            var body = await ReadBodyAsync(http);
            return await SimResponder.ServeAsync(http, state, Dialect, storeId, store => Query(store, body, paged: false, http, state));
        });
    }

    private static object Error(string code, string message) => new { error = new { code, message } };

    private static SimResult Invalid(string message) => SimResult.Fail(SimResponder.BadRequest(Error("invalid_request", message)));

    private static async Task<JsonDocument?> ReadBodyAsync(HttpContext http)
    {
        try
        {
            return await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static SimResult Query(SimStore store, JsonDocument? body, bool paged, HttpContext? http = null, SimulatorState? state = null)
    {
        using (body)
        {
            if (body is null || body.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Invalid("The body must be a JSON object.");
            }

            var root = body.RootElement;
            if (!root.TryGetProperty("filter", out var filterJson))
            {
                return Invalid("filter is required.");
            }

            var (filter, invalid) = MedipimFilter.Parse(filterJson);
            if (filter is null)
            {
                return Invalid($"Invalid filter: {invalid}.");
            }

            if (!root.TryGetProperty("sorting", out var sorting) || sorting.ValueKind != JsonValueKind.Object || sorting.EnumerateObject().Count() != 1
                || sorting.EnumerateObject().Single() is var sort && (sort.Name is not ("id" or "touchedAt") || sort.Value.GetString() is not ("ASC" or "DESC")))
            {
                return Invalid("sorting is required: {\"id\": \"ASC\"|\"DESC\"} or {\"touchedAt\": \"ASC\"|\"DESC\"}.");
            }

            var byId = sort.Name == "id";
            var descending = sort.Value.GetString() == "DESC";
            IEnumerable<SimRef> matching = store.Existing(SimKind.Products).Where(at => filter.Matches(store, at));
            if (!byId)
            {
                matching = matching.OrderBy(at => at.UpdatedAt).ThenBy(at => at.Index);
            }

            if (descending)
            {
                matching = matching.Reverse();
            }

            if (!paged)
            {
                return Stream(store, [.. matching], http!, state!);
            }

            if (!root.TryGetProperty("page", out var page) || page.ValueKind != JsonValueKind.Object
                || !page.TryGetProperty("no", out var noJson) || !noJson.TryGetInt32(out var no) || no < 0)
            {
                return Invalid("page is required, with a zero-based page number 'no'.");
            }

            var size = 100;
            if (page.TryGetProperty("size", out var sizeJson) && (!sizeJson.TryGetInt32(out size) || !PageSizes.Contains(size)))
            {
                return Invalid("page.size is one of 10, 50, 100 or 250.");
            }

            var all = matching.ToList();
            var results = new JsonArray();
            foreach (var at in all.Skip(no * size).Take(size))
            {
                results.Add(SimMedipim.Product(store, at));
            }

            return SimResult.Ok(new JsonObject
            {
                ["meta"] = new JsonObject { ["total"] = all.Count, ["page"] = new JsonObject { ["no"] = no, ["offset"] = no * size, ["size"] = size } },
                ["results"] = results,
            });
        }
    }

    /// <summary>
    /// The stream: the total counted first, then one line per product, written and flushed as it goes (paced by the
    /// <c>downloadBytesPerSecond</c> fault); cut off (the connection aborted) when the download-cut fault is on.
    /// </summary>
    private static SimResult Stream(SimStore store, IReadOnlyList<SimRef> matching, HttpContext http, SimulatorState state)
    {
        var total = matching.Count;
        if (total == 0)
        {
            return SimResult.Streamed(Results.NoContent());
        }

        var cutAt = state.TakeDownloadCut();
        return SimResult.Streamed(Results.Stream(async body =>
        {
            var buffer = new StringBuilder();
            long written = 0;
            var index = 0;
            var buffered = 0;
            foreach (var at in matching)
            {
                var line = new JsonObject
                {
                    ["meta"] = new JsonObject { ["total"] = total, ["index"] = index++ },
                    ["result"] = SimMedipim.Product(store, at),
                }.ToJsonString();
                buffer.Append(line).Append('\n');
                buffered++;
                if (buffer.Length >= 16_384 || index == total)
                {
                    var bytes = Encoding.UTF8.GetBytes(buffer.ToString());
                    buffer.Clear();
                    if (cutAt is { } cut && written + bytes.Length > cut)
                    {
                        await body.WriteAsync(bytes.AsMemory(0, (int)Math.Max(0, cut - written)), http.RequestAborted);
                        await body.FlushAsync(http.RequestAborted);
                        http.Abort();
                        return;
                    }

                    await body.WriteAsync(bytes, http.RequestAborted);
                    await body.FlushAsync(http.RequestAborted);
                    written += bytes.Length;
                    store.Streamed(buffered);
                    buffered = 0;
                    // A slow link, when told to be one.
                    if (state.Faults.DownloadBytesPerSecond is > 0 and var pace)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(bytes.Length / (double)pace), http.RequestAborted);
                    }
                }
            }
        }, "application/x-ndjson"));
    }

    private static bool Authorize(SimStore store, HttpRequest request) =>
        SimResponder.BasicMatches(request, store.Config.Credentials.GetValueOrDefault("apiKeyId"), store.Config.Credentials.GetValueOrDefault("apiKeySecret"));
}
