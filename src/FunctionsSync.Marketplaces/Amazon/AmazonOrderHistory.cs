using System.Globalization;
using System.Text.Json;
using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Records;
using FunctionsSync.Marketplaces.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Marketplaces.Amazon;

/// <summary>
/// A full sync of an Amazon seller's orders from the Reports API: for each window of history (from
/// <c>settings.historyStart</c>, default three years back, in windows of <c>settings.reportWindowDays</c>, default 30,
/// the longest Amazon accepts) <c>createReport</c>, poll <c>getReport</c> with growing waits, <c>getReportDocument</c>,
/// download the gzip file to local disk once and read it page by page (the page token holds the byte offset, so a
/// resumed run seeks instead of starting over). A report that fails (FATAL, CANCELLED), or whose document arrives cut
/// short twice (<see cref="GzipMember"/>: Amazon states no row count, so the gzip trailer is the document's only
/// completeness check), is replaced by getOrders pages over the same window. Each operation spends its own rate budget (<c>amazon.createReport</c>, …).
/// </summary>
public sealed partial class AmazonOrderHistory(
    MarketplaceHttp http,
    AmazonOrdersApi orders,
    IOptions<AmazonOptions> options,
    TimeProvider time,
    ILogger<AmazonOrderHistory> logger)
{
    private readonly DocumentFiles files = new(options.Value.Directory, options.Value.AbandonedFileAge, time);

    public const string ReportType = "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL";
    public const int MaxPageSize = 1000;
    private static readonly TimeSpan DefaultHistory = TimeSpan.FromDays(3 * 365);

    /// <summary>Amazon's own lag for getOrders: data this recent may still change under a reader.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromMinutes(2);

    public async Task<FetchPage> FetchAsync(Connection connection, FetchRequest request, CancellationToken cancellationToken)
    {
        AmazonReportToken token;
        if (request.PageToken is null)
        {
            var final = time.GetUtcNow() - Settle;
            var start = HistoryStart(connection, final);
            token = new AmazonReportToken(AmazonReportStage.Create, start, WindowEnd(connection, start, final), final);
        }
        else if (!AmazonReportToken.TryDecode(request.PageToken, out token))
        {
            throw AdapterSupport.BadToken(MarketplaceNames.Amazon, request.PageToken);
        }

        var pageSize = Math.Clamp(request.PageSize, 1, MaxPageSize);
        return token.Stage switch
        {
            AmazonReportStage.Create => await PollAsync(connection, token with { Stage = AmazonReportStage.Poll, Reference = await CreateAsync(connection, token, cancellationToken) }, pageSize, cancellationToken),
            AmazonReportStage.Poll => await PollAsync(connection, token, pageSize, cancellationToken),
            AmazonReportStage.Read => await ReadAsync(connection, token, pageSize, cancellationToken),
            _ => await OrdersAsync(connection, token, pageSize, cancellationToken),
        };
    }

    private async Task<string> CreateAsync(Connection connection, AmazonReportToken token, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(new
        {
            reportType = ReportType,
            marketplaceIds = new[] { AmazonSettings.Of(connection).MarketplaceId },
            dataStartTime = AdapterSupport.Iso(token.Start),
            dataEndTime = AdapterSupport.Iso(token.End),
        });
        const string what = "amazon createReport";
        using var response = await http.SendJsonAsync(connection, "createReport", HttpMethod.Post, Reports(connection, "reports"), body, AmazonOrdersApi.Authorize(connection), what, cancellationToken);
        return response.Root.OptStr("reportId") is { Length: > 0 } id
            ? id
            : throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: response has no 'reportId'");
    }

    /// <summary>Polls until the report is done (then reads its first page), failed (then getOrders), or this page's wait is spent.</summary>
    private async Task<FetchPage> PollAsync(Connection connection, AmazonReportToken token, int pageSize, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var wait = new PollBudget(o.PollInterval, o.MaxPollInterval, o.MaxWaitPerPage, time);
        const string what = "amazon getReport";
        while (true)
        {
            using (var response = await http.SendJsonAsync(connection, "getReport", HttpMethod.Get, Reports(connection, "reports/" + Uri.EscapeDataString(token.Reference)), null, AmazonOrdersApi.Authorize(connection), what, cancellationToken))
            {
                var status = response.Root.OptStr("processingStatus");
                switch (status)
                {
                    case "DONE":
                        var document = response.Root.OptStr("reportDocumentId") is { Length: > 0 } d
                            ? d
                            : throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: a DONE report without 'reportDocumentId'");
                        return await ReadAsync(connection, token with { Stage = AmazonReportStage.Read, Reference = document, Offset = 0 }, pageSize, cancellationToken);
                    case "FATAL" or "CANCELLED":
                        LogReportFailed(connection.Id, token.Reference, status, token.Start, token.End);
                        return await OrdersAsync(connection, token with { Stage = AmazonReportStage.Orders, Reference = "" }, pageSize, cancellationToken);
                    case "IN_QUEUE" or "IN_PROGRESS":
                        break;
                    default:
                        throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: unknown processingStatus '{status}'");
                }
            }

            if (!await wait.WaitAsync(cancellationToken))
            {
                // Not yet: an empty page with the same position, so the run checkpoints (and can be paused) meanwhile.
                return new FetchPage([], [], token.Encode());
            }
        }
    }

    private async Task<FetchPage> ReadAsync(Connection connection, AmazonReportToken token, int pageSize, CancellationToken cancellationToken)
    {
        var path = files.PathOf(connection, token.Reference);
        // A document cut short is fetched once more (a fresh URL); cut again, its window is read with getOrders instead.
        if (!File.Exists(path) && !await DownloadAsync(connection, token.Reference, cancellationToken) && !await DownloadAsync(connection, token.Reference, cancellationToken))
        {
            LogDocumentCut(connection.Id, token.Reference, token.Start, token.End);
            return await OrdersAsync(connection, token with { Stage = AmazonReportStage.Orders, Reference = "", Offset = 0 }, pageSize, cancellationToken);
        }

        const string what = "amazon order report";
        var records = new List<CanonicalRecord>(pageSize);
        var rejected = new List<RejectedRecord>();
        long? total = null;
        long? nextOffset = null;
        using (var lines = new FileLines(path))
        {
            if (!lines.TryRead(out var header))
            {
                // An empty document: a window without orders.
                header = "";
            }

            var rows = header.Length == 0 ? null : AmazonOrderRows.FromHeader(header, what);
            if (rows is not null && token.Offset == 0 && IsOnlyWindow(connection, token))
            {
                total = CountOrders(lines, rows);
                lines.Seek(0);
                lines.TryRead(out _);
            }

            if (token.Offset > 0)
            {
                lines.Seek(token.Offset);
            }

            var order = new List<string[]>();
            string? orderId = null;
            while (rows is not null)
            {
                var lineStart = lines.Position;
                if (!lines.TryRead(out var line))
                {
                    break;
                }

                if (line.Length == 0)
                {
                    continue;
                }

                var cells = line.Split('\t');
                var id = rows.OrderId(cells);
                if (id == orderId)
                {
                    order.Add(cells);
                    continue;
                }

                if (orderId is not null)
                {
                    Add(rows, order, records, rejected);
                    if (records.Count + rejected.Count >= pageSize)
                    {
                        // The next page starts with this row's order.
                        nextOffset = lineStart;
                        break;
                    }
                }

                orderId = id;
                order = [cells];
            }

            if (nextOffset is null && order.Count > 0 && rows is not null)
            {
                Add(rows, order, records, rejected);
            }
        }

        if (nextOffset is { } offset)
        {
            return new FetchPage(records, rejected, (token with { Offset = offset }).Encode(), total);
        }

        // The document is read: it is not needed again, whatever happens to this page.
        files.Delete(connection, token.Reference);
        return new FetchPage(records, rejected, Next(connection, token), total);
    }

    /// <summary>Downloads the document to local disk; false (and nothing kept) when a compressed document arrived cut short.</summary>
    private async Task<bool> DownloadAsync(Connection connection, string documentId, CancellationToken cancellationToken)
    {
        const string what = "amazon getReportDocument";
        Uri url;
        bool gzip;
        using (var response = await http.SendJsonAsync(connection, "getReportDocument", HttpMethod.Get, Reports(connection, "documents/" + Uri.EscapeDataString(documentId)), null, AmazonOrdersApi.Authorize(connection), what, cancellationToken))
        {
            url = Uri.TryCreate(response.Root.OptStr("url"), UriKind.Absolute, out var u) && u.Scheme is "https" or "http"
                ? u
                : throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: response has no usable 'url'");
            gzip = response.Root.OptStr("compressionAlgorithm") switch
            {
                null => false,
                "GZIP" => true,
                var other => throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: unknown compressionAlgorithm '{other}'"),
            };
        }

        var started = time.GetTimestamp();
        long bytes = 0;
        var whole = true;
        await files.StoreAsync(connection, documentId, async (file, ct) =>
            await http.DownloadAsync(connection, url, 0, async (body, _, downloadCt) =>
            {
                if (gzip)
                {
                    whole = await GzipMember.DecompressAsync(body, file, downloadCt);
                }
                else
                {
                    await body.CopyToAsync(file, downloadCt);
                }

                bytes = file.Length;
            }, "amazon report document download", ct), cancellationToken);
        if (!whole)
        {
            files.Delete(connection, documentId);
            LogDocumentNotWhole(connection.Id, documentId, bytes);
            return false;
        }

        LogDownloaded(connection.Id, documentId, bytes, time.GetElapsedTime(started).TotalSeconds);
        return true;
    }

    private async Task<FetchPage> OrdersAsync(Connection connection, AmazonReportToken token, int pageSize, CancellationToken cancellationToken)
    {
        var page = await orders.PageAsync(connection, token.Start, token.End, token.Reference.Length == 0 ? null : token.Reference, pageSize, cancellationToken);
        return page with { NextPageToken = page.NextPageToken is { } next ? (token with { Reference = next }).Encode() : Next(connection, token) };
    }

    /// <summary>The next window's first step, or the end of the feed after the last window.</summary>
    private static string? Next(Connection connection, AmazonReportToken token) =>
        token.IsLastWindow ? null : new AmazonReportToken(AmazonReportStage.Create, token.End, WindowEnd(connection, token.End, token.Final), token.Final).Encode();

    private static void Add(AmazonOrderRows rows, List<string[]> order, List<CanonicalRecord> records, List<RejectedRecord> rejected)
    {
        var (record, refusal) = rows.Order(order);
        if (record is not null)
        {
            records.Add(record);
        }
        else
        {
            rejected.Add(refusal!);
        }
    }

    private static long CountOrders(FileLines lines, AmazonOrderRows rows)
    {
        long count = 0;
        string? last = null;
        while (lines.TryRead(out var line))
        {
            if (line.Length > 0 && rows.OrderId(line.Split('\t')) is var id && id != last)
            {
                count++;
                last = id;
            }
        }

        return count;
    }

    private static bool IsOnlyWindow(Connection connection, AmazonReportToken token) =>
        token.IsLastWindow && token.Start == HistoryStart(connection, token.Final);

    private static DateTimeOffset HistoryStart(Connection connection, DateTimeOffset final) =>
        AmazonSettings.Of(connection).HistoryStart is { } start && start < final
            ? start.ToUniversalTime()
            : final - DefaultHistory;

    private static DateTimeOffset WindowEnd(Connection connection, DateTimeOffset start, DateTimeOffset final)
    {
        var end = start + TimeSpan.FromDays(AmazonSettings.Of(connection).ReportWindowDays);
        return end < final ? end : final;
    }

    private static Uri Reports(Connection connection, string path) => new($"{AmazonOrdersApi.BaseUrl(connection)}/reports/2021-06-30/{path}");

    [LoggerMessage(4103, LogLevel.Warning, "Connection {ConnectionId}: Amazon report {ReportId} ended {Status}; orders changed {Start:o}..{End:o} are read with getOrders instead")]
    private partial void LogReportFailed(string connectionId, string reportId, string status, DateTimeOffset start, DateTimeOffset end);

    [LoggerMessage(4108, LogLevel.Warning, "Connection {ConnectionId}: Amazon report document {DocumentId} arrived cut short ({Bytes} bytes decompressed, its gzip trailer missing or not matching)")]
    private partial void LogDocumentNotWhole(string connectionId, string documentId, long bytes);

    [LoggerMessage(4109, LogLevel.Warning, "Connection {ConnectionId}: Amazon report document {DocumentId} arrived cut short twice; orders changed {Start:o}..{End:o} are read with getOrders instead")]
    private partial void LogDocumentCut(string connectionId, string documentId, DateTimeOffset start, DateTimeOffset end);

    [LoggerMessage(4104, LogLevel.Information, "Connection {ConnectionId}: Amazon report document {DocumentId} downloaded ({Bytes} bytes in {Seconds:0.0} s)")]
    private partial void LogDownloaded(string connectionId, string documentId, long bytes, double seconds);
}
