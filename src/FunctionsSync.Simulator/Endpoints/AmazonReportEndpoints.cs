using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsSync.Simulator.Data;

namespace FunctionsSync.Simulator.Endpoints;

/// <summary>
/// Amazon SP-API Reports 2021-06-30 for the order history: <c>createReport</c>
/// (<c>GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL</c>, at most <see cref="SimStoreConfig.ReportMaxDays"/>
/// days), <c>getReport</c> (IN_QUEUE → IN_PROGRESS → DONE, or FATAL), <c>getReportDocument</c> (a pre-signed URL valid
/// five minutes, GZIP) and the download itself: a gzip-compressed tab-separated file, one row per order item, written
/// as it is read (a store of any size costs no memory). Each operation has its own rate budget, as SP-API's.
/// </summary>
internal static class AmazonReportEndpoints
{
    public const string OrdersReport = "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL";
    private const string Base = "/amazon/{storeId}/reports/2021-06-30";
    private static readonly TimeSpan UrlLifetime = TimeSpan.FromMinutes(5);

    /// <summary>Signs download URLs; per process, as a pre-signed URL is only good where it was issued.</summary>
    private static readonly byte[] SigningKey = RandomNumberGenerator.GetBytes(32);

    public static readonly string[] Columns =
    [
        "amazon-order-id", "merchant-order-id", "purchase-date", "last-updated-date", "order-status", "fulfillment-channel",
        "sales-channel", "order-channel", "ship-service-level", "product-name", "sku", "asin", "item-status", "quantity",
        "currency", "item-price", "item-tax", "shipping-price", "shipping-tax", "gift-wrap-price", "gift-wrap-tax",
        "item-promotion-discount", "ship-promotion-discount", "ship-city", "ship-state", "ship-postal-code", "ship-country",
        "promotion-ids", "is-business-order", "purchase-order-number", "price-designation",
    ];

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost(Base + "/reports", async (HttpContext http, SimulatorState state, string storeId) =>
        {
            var body = await ReadBodyAsync(http);
            return await SimResponder.ServeAsync(http, state, AmazonEndpoints.Dialect, storeId, store => Create(state, store, body), "createReport");
        });
        app.MapGet(Base + "/reports/{reportId}", (HttpContext http, SimulatorState state, string storeId, string reportId) =>
            SimResponder.ServeAsync(http, state, AmazonEndpoints.Dialect, storeId, store => Get(store, reportId), "getReport"));
        app.MapGet(Base + "/documents/{documentId}", (HttpContext http, SimulatorState state, string storeId, string documentId) =>
            SimResponder.ServeAsync(http, state, AmazonEndpoints.Dialect, storeId, store => Document(http, state, store, documentId), "getReportDocument"));
        // The pre-signed URL: no access token, the signature instead (S3's in reality, outside SP-API's rate limits).
        app.MapGet("/amazon/{storeId}/report-files/{documentId}", DownloadAsync);
    }

    private static async Task<JsonNode?> ReadBodyAsync(HttpContext http)
    {
        try
        {
            return await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IResult Invalid(string message) => SimResponder.BadRequest(new { errors = new[] { new { code = "InvalidInput", message } } });

    private static SimResult Create(SimulatorState state, SimStore store, JsonNode? body)
    {
        if (body is not JsonObject request)
        {
            return SimResult.Fail(Invalid("The request body must be a JSON object."));
        }

        var type = request["reportType"]?.GetValue<string>();
        if (type != OrdersReport)
        {
            return SimResult.Fail(Invalid($"reportType '{type}' is not supported by this simulator; use {OrdersReport}."));
        }

        if (request["marketplaceIds"] is not JsonArray { Count: > 0 })
        {
            return SimResult.Fail(Invalid("marketplaceIds is required."));
        }

        var now = state.Time.GetUtcNow();
        if (!TryDate(request["dataStartTime"], out var start) || !TryDate(request["dataEndTime"], out var end))
        {
            return SimResult.Fail(Invalid("dataStartTime and dataEndTime must be ISO 8601 dates."));
        }

        var to = end ?? now;
        var from = start ?? to.AddDays(-Math.Min(30, store.Config.ReportMaxDays));
        if (from > to || to > now)
        {
            return SimResult.Fail(Invalid("dataStartTime must be before dataEndTime, and dataEndTime not in the future."));
        }

        if (to - from > TimeSpan.FromDays(store.Config.ReportMaxDays))
        {
            return SimResult.Fail(Invalid($"This report can be requested for a maximum date range of {store.Config.ReportMaxDays} days."));
        }

        var id = (50_000_000_000L + store.Reports.Count + 1).ToString(CultureInfo.InvariantCulture);
        store.Reports[id] = new SimReport(id, type, from, to, now, state.Faults.FailReports);
        return SimResult.Accepted(new JsonObject { ["reportId"] = id });
    }

    private static SimResult Get(SimStore store, string reportId)
    {
        if (!store.Reports.TryGetValue(reportId, out var report))
        {
            return SimResult.Fail(Results.Json(new { errors = new[] { new { code = "NotFound", message = "Report not found." } } }, statusCode: 404));
        }

        var status = report.Poll(store.Config.ReportPolls);
        var answer = new JsonObject
        {
            ["reportId"] = report.ReportId,
            ["reportType"] = report.ReportType,
            ["marketplaceIds"] = new JsonArray("ATVPDKIKX0DER"),
            ["dataStartTime"] = Date(report.DataStart),
            ["dataEndTime"] = Date(report.DataEnd),
            ["createdTime"] = Date(report.CreatedAt),
            ["processingStatus"] = status,
        };
        if (status == "DONE")
        {
            answer["reportDocumentId"] = report.DocumentId;
        }

        return SimResult.Ok(answer);
    }

    private static SimResult Document(HttpContext http, SimulatorState state, SimStore store, string documentId)
    {
        if (store.Reports.Values.FirstOrDefault(r => r.DocumentId == documentId) is not { } report || !report.IsDone(store.Config.ReportPolls))
        {
            return SimResult.Fail(Results.Json(new { errors = new[] { new { code = "NotFound", message = "Report document not found." } } }, statusCode: 404));
        }

        var expires = state.Time.GetUtcNow().Add(UrlLifetime).ToUnixTimeSeconds();
        var url = $"{http.Request.Scheme}://{http.Request.Host}/amazon/{Uri.EscapeDataString(store.StoreId)}/report-files/{Uri.EscapeDataString(documentId)}"
            + $"?X-Amz-Expires={expires}&X-Amz-Signature={Sign(store.StoreId, documentId, expires)}";
        return SimResult.Ok(new JsonObject { ["reportDocumentId"] = documentId, ["compressionAlgorithm"] = "GZIP", ["url"] = url });
    }

    private static async Task DownloadAsync(HttpContext http, SimulatorState state, string storeId, string documentId)
    {
        var expires = long.TryParse(http.Request.Query["X-Amz-Expires"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds : (long?)null;
        string? signature = http.Request.Query["X-Amz-Signature"];
        var store = state.GetStore("amazon", storeId);
        var report = store?.Reports.Values.FirstOrDefault(r => r.DocumentId == documentId);
        var valid = store is not null && report is not null && expires is { } e && signature == Sign(storeId, documentId, e);
        var expired = valid && state.Time.GetUtcNow().ToUnixTimeSeconds() > expires;
        state.Record(new SimRequest(state.Time.GetUtcNow(), "amazon", storeId, http.Request.Path + http.Request.QueryString, valid && !expired ? 200 : 403, null, http.Request.Method));
        if (!valid || expired)
        {
            // S3's answer to a wrong or stale signature.
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            http.Response.ContentType = "application/xml";
            await http.Response.WriteAsync($"<Error><Code>{(expired ? "AccessDenied" : "SignatureDoesNotMatch")}</Code><Message>{(expired ? "Request has expired" : "The request signature we calculated does not match the signature you provided.")}</Message></Error>");
            return;
        }

        http.Response.ContentType = "application/octet-stream";
        var window = new FeedQuery(report!.DataStart, MinExclusive: false, report.DataEnd);
        // The cut-document fault: half the orders are written, then the rest of the file (and the gzip trailer) is lost.
        long? cutAfter = state.TakeReportCut() ? store!.CountMatching(SimKind.Orders, report.DataStart, false, report.DataEnd) / 2 : null;
        var body = new Faults.CutOffStream(http.Response.Body);
        await using var gzip = new GZipStream(body, CompressionLevel.Fastest, leaveOpen: true);
        // Kestrel allows no synchronous writes: the writer leaves the gzip stream to its own asynchronous disposal.
        await using var writer = new StreamWriter(gzip, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        await writer.WriteAsync(string.Join('\t', Columns) + "\n");
        var line = new StringBuilder(512);
        long written = 0;
        foreach (var at in store!.Feed(SimKind.Orders, window))
        {
            if (written++ == cutAfter)
            {
                await writer.FlushAsync();
                await gzip.FlushAsync();
                body.Cut();
                return;
            }

            var order = SimCatalog.Order(store, at);
            var lines = order.Lines;
            var extra = AmazonEndpoints.Adjustment(order);
            for (var i = 0; i < lines.Count; i++)
            {
                var item = lines[i];
                line.Clear();
                Append(line, SimCatalog.AmazonOrderId(at.Index), "", Date(order.CreatedAt), Date(order.UpdatedAt), AmazonEndpoints.Status(order),
                    "MFN", $"Amazon.com ({store.StoreId})", "", "Standard", $"Product {item.ProductId}", item.Sku, SimCatalog.AmazonAsin(item.ProductId),
                    "Unshipped", item.Quantity.ToString(CultureInfo.InvariantCulture), order.Currency,
                    SimResponder.Money(item.Quantity * item.Price), "0.00", SimResponder.Money(i == 0 ? extra : 0), "0.00", "", "", "", "",
                    "Seattle", "WA", "98109", "US", "", "false", "", "");
                await writer.WriteAsync(line.Append('\n'));
            }
        }

        await writer.FlushAsync();
    }

    private static void Append(StringBuilder line, params string[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0)
            {
                line.Append('\t');
            }

            line.Append(values[i]);
        }
    }

    private static string Sign(string storeId, string documentId, long expires) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(SigningKey, Encoding.UTF8.GetBytes($"{storeId}\n{documentId}\n{expires}")));

    private static bool TryDate(JsonNode? node, out DateTimeOffset? date)
    {
        date = null;
        if (node is null)
        {
            return true;
        }

        if (node.GetValueKind() == JsonValueKind.String
            && DateTimeOffset.TryParse(node.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            date = parsed;
            return true;
        }

        return false;
    }

    private static string Date(DateTimeOffset value) => value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
