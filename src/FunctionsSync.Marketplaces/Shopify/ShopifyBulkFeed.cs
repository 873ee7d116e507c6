using System.Globalization;
using System.Text.Json;
using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Records;
using FunctionsSync.Marketplaces.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Marketplaces.Shopify;

/// <summary>
/// A full sync through one bulk query per feed: <c>bulkOperationRunQuery</c>, poll <c>node(id:)</c> with growing
/// waits, download the JSONL result to local disk (a broken download resumes with a Range request from the bytes
/// already there, in this process or the next one on the machine), then read it page by page, an object with the
/// lines of its nested nodes (<c>__parentId</c>) after it; the page token holds the byte offset, so a resumed run seeks
/// there. A bulk query that fails (<c>FAILED</c>, <c>CANCELED</c>, <c>EXPIRED</c>), cannot start, or runs past
/// <see cref="ShopifyOptions.BulkTimeout"/> (then it is cancelled) is replaced by paged queries of the whole feed.
/// As a feed's query starts, those of the run's later feeds are started too, up to the shop's concurrent limit
/// (<see cref="ShopifyOptions.MaxConcurrentBulkQueries"/>), so their files are made while this one is read; a later feed
/// whose query is the same one (prices read the products query) reads that operation's file, not a second query.
/// </summary>
public sealed partial class ShopifyBulkFeed(
    ShopifyGraphQlClient client,
    ShopifyGraphQlFeed paged,
    MarketplaceHttp http,
    IOptions<ShopifyOptions> options,
    ShopifyBulkPrestarts prestarts,
    TimeProvider time,
    ILogger<ShopifyBulkFeed> logger)
{
    /// <summary>Records a page of a bulk file holds at most.</summary>
    public const int MaxPageSize = 1_000;

    private const int MutationCost = 10;
    private const int StatusCost = 1;

    private readonly DocumentFiles files = new(options.Value.Directory, options.Value.AbandonedFileAge, time);

    public async Task<FetchPage> FetchAsync(Connection connection, FetchRequest request, CancellationToken cancellationToken)
    {
        ShopifyBulkToken token;
        if (request.PageToken is null)
        {
            token = new ShopifyBulkToken(ShopifyBulkStage.Start, time.GetUtcNow());
        }
        else if (!ShopifyBulkToken.TryDecode(request.PageToken, out token))
        {
            throw AdapterSupport.BadToken(MarketplaceNames.Shopify, request.PageToken);
        }

        var pageSize = Math.Clamp(request.PageSize, 1, MaxPageSize);
        return token.Stage switch
        {
            ShopifyBulkStage.Start => await StartAsync(connection, request.EntityType, token, pageSize, request.Lookahead, cancellationToken),
            ShopifyBulkStage.Poll => await PollAsync(connection, request.EntityType, token, pageSize, cancellationToken),
            ShopifyBulkStage.Read => await ReadAsync(connection, request.EntityType, token, pageSize, cancellationToken),
            _ => await PagedAsync(connection, request.EntityType, token, request.PageSize, cancellationToken),
        };
    }

    private async Task<FetchPage> StartAsync(Connection connection, EntityType type, ShopifyBulkToken token, int pageSize, FeedLookahead? lookahead, CancellationToken cancellationToken)
    {
        if (lookahead is not null && prestarts.TryTake(connection.Id, lookahead.RunId, type, out var ahead))
        {
            // Started while an earlier feed of this run was read: wait on it (its age counts toward the timeout).
            await StartAheadAsync(connection, lookahead, cancellationToken);
            return await PollAsync(connection, type, token with { Stage = ShopifyBulkStage.Poll, Operation = ahead.Operation, Started = ahead.Started }, pageSize, cancellationToken);
        }

        var what = $"shopify {type.ToWire()} bulk query";
        var (id, message) = await RunBulkAsync(connection, type, what, cancellationToken);
        if (id is null)
        {
            message ??= "refused";
            // Another bulk query of the shop (another app's, or one of a run that crashed) is still running: wait for it.
            if (message.Contains("already in progress", StringComparison.OrdinalIgnoreCase) && time.GetUtcNow() - token.Started < options.Value.BulkTimeout)
            {
                return new FetchPage([], [], token.Encode());
            }

            return await FallBackAsync(connection, type, token, $"could not start: {message}", pageSize, cancellationToken);
        }

        if (lookahead is not null)
        {
            ShareWithLaterFeeds(connection, lookahead, type, id, token.Started);
            await StartAheadAsync(connection, lookahead, cancellationToken);
        }

        return await PollAsync(connection, type, token with { Stage = ShopifyBulkStage.Poll, Operation = id }, pageSize, cancellationToken);
    }

    /// <summary><c>bulkOperationRunQuery</c> of the feed's query: the operation's id, or the refusal's message.</summary>
    private async Task<(string? Id, string? Refusal)> RunBulkAsync(Connection connection, EntityType type, string what, CancellationToken cancellationToken)
    {
        var runBulk = ShopifyGraphQlQueries.RunBulk(client.VersionOf(connection));
        using var answer = await client.QueryAsync(connection, runBulk, new { query = ShopifyGraphQlQueries.Bulk(type, null) }, MutationCost, what, cancellationToken);
        var payload = answer.RootElement.Opt("bulkOperationRunQuery");
        if (payload?.Opt("userErrors") is { ValueKind: JsonValueKind.Array } errors && errors.GetArrayLength() > 0)
        {
            return (null, errors[0].OptStr("message") ?? "refused");
        }

        return (payload?.Opt("bulkOperation")?.OptStr("id")
            ?? throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: the answer names no bulk operation"), null);
    }

    /// <summary>The run's later feeds whose query is this one's read its file (prices: the products query), not a query of their own.</summary>
    private void ShareWithLaterFeeds(Connection connection, FeedLookahead lookahead, EntityType type, string operation, DateTimeOffset started)
    {
        var query = ShopifyGraphQlQueries.Bulk(type, null);
        foreach (var later in lookahead.Upcoming.Where(t => t != type && ShopifyGraphQlQueries.Bulk(t, null) == query && !prestarts.Has(connection.Id, lookahead.RunId, t)))
        {
            prestarts.Put(connection.Id, lookahead.RunId, later, operation, started);
        }
    }

    /// <summary>
    /// Starts the bulk queries of the run's later feeds (read by bulk queries too), up to the shop's concurrent limit with
    /// the feed being read. Best effort: a refusal or a failure leaves the rest to start when their feed comes.
    /// </summary>
    private async Task StartAheadAsync(Connection connection, FeedLookahead lookahead, CancellationToken cancellationToken)
    {
        if (!ShopifySettings.Of(connection).ReadsWholeFeedsByBulk)
        {
            return;
        }

        var limit = options.Value.MaxConcurrentBulkQueries
            ?? (string.CompareOrdinal(client.VersionOf(connection), ShopifyGraphQlQueries.FiveBulkQueriesSince) >= 0 ? 5 : 1);
        foreach (var later in lookahead.Upcoming.Where(t => !prestarts.Has(connection.Id, lookahead.RunId, t)))
        {
            // The feed being read holds one of the shop's slots.
            if (1 + prestarts.Waiting(connection.Id, lookahead.RunId) >= limit)
            {
                return;
            }

            try
            {
                var started = time.GetUtcNow();
                var (id, refusal) = await RunBulkAsync(connection, later, $"shopify {later.ToWire()} bulk query (started ahead)", cancellationToken);
                if (id is null)
                {
                    LogNotStartedAhead(connection.Id, later.ToWire(), refusal!);
                    return;
                }

                prestarts.Put(connection.Id, lookahead.RunId, later, id, started);
                prestarts.Preparing(connection.Id, id, Task.Run(() => PrepareAsync(connection, later, id), CancellationToken.None));
                ShareWithLaterFeeds(connection, lookahead, later, id, started);
            }
            catch (MarketplaceException ex)
            {
                LogNotStartedAhead(connection.Id, later.ToWire(), ex.Message);
                return;
            }
        }
    }

    /// <summary>
    /// Makes a query started ahead ready while earlier feeds are read: polls it to completion and downloads and groups
    /// its file, so its feed starts reading at once. Best effort: whatever goes wrong is left to the feed, which polls
    /// and downloads as it would have (its first request waits for this to end, so the two never fetch one file at once).
    /// </summary>
    private async Task PrepareAsync(Connection connection, EntityType type, string operation)
    {
        var o = options.Value;
        var what = $"shopify {type.ToWire()} bulk query (started ahead)";
        using var stop = new CancellationTokenSource(o.BulkTimeout, time);
        try
        {
            var wait = new PollBudget(o.BulkPollInterval, o.MaxBulkPollInterval, o.BulkTimeout, time);
            while (true)
            {
                var status = await StatusAsync(connection, operation, what, stop.Token);
                if (status.State == "COMPLETED")
                {
                    if (status.Url is { } url && status.FileSize != 0)
                    {
                        await DownloadAsync(connection, operation, url, status.FileSize, stop.Token);
                    }

                    return;
                }

                if (!status.Running || !await wait.WaitAsync(stop.Token))
                {
                    return;
                }
            }
        }
        catch (Exception ex)
        {
            LogNotPrepared(connection.Id, type.ToWire(), operation, ex.Message);
        }
    }

    /// <summary>The operation as <c>node(id:)</c> describes it.</summary>
    private async Task<ShopifyBulkStatus> StatusAsync(Connection connection, string operation, string what, CancellationToken cancellationToken)
    {
        using var answer = await client.QueryAsync(connection, ShopifyGraphQlQueries.BulkStatus, new { id = operation }, StatusCost, what, cancellationToken);
        var node = answer.RootElement.Opt("node")
            ?? throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: bulk operation {operation} is not known to the shop");
        return ShopifyBulkStatus.Of(node);
    }

    /// <summary>Waits for the operation; once it completed, downloads its file and reads the page at the token's offset.</summary>
    private async Task<FetchPage> PollAsync(Connection connection, EntityType type, ShopifyBulkToken token, int pageSize, CancellationToken cancellationToken)
    {
        var o = options.Value;
        // A query started ahead may be being made ready in the background: wait for that rather than fetch beside it.
        if (!await prestarts.PreparedAsync(connection.Id, token.Operation, o.MaxWaitPerPage, cancellationToken))
        {
            return new FetchPage([], [], token.Encode());
        }

        var wait = new PollBudget(o.BulkPollInterval, o.MaxBulkPollInterval, o.MaxWaitPerPage, time);
        var what = $"shopify {type.ToWire()} bulk query";
        while (true)
        {
            var operation = await StatusAsync(connection, token.Operation, what, cancellationToken);
            var status = operation.State;
            switch (status)
            {
                case "COMPLETED":
                    if (operation.Url is not { } url || operation.FileSize == 0)
                    {
                        // A query that matched nothing has no file.
                        return new FetchPage([], [], null);
                    }

                    if (!await DownloadAsync(connection, token.Operation, url, operation.FileSize, cancellationToken))
                    {
                        var attempts = token.Attempts + 1;
                        if (attempts >= o.MaxDownloadAttempts)
                        {
                            throw new MarketplaceException(MarketplaceErrorKind.Transient, $"{what}: its result file broke off {attempts} times in a row");
                        }

                        // Resumed on the next page request, from the bytes that arrived; the run checkpoints meanwhile.
                        return new FetchPage([], [], (token with { Attempts = attempts }).Encode());
                    }

                    // Shopify's own count of the query's top-level objects: one record each, so the feed is held to it.
                    return await ReadAsync(connection, type, token with { Stage = ShopifyBulkStage.Read, Attempts = 0, Roots = operation.Roots }, pageSize, cancellationToken);
                case "FAILED" or "CANCELED" or "CANCELING" or "EXPIRED":
                    return await FallBackAsync(connection, type, token, $"ended {status}{(operation.ErrorCode is { } code ? $" ({code})" : "")}", pageSize, cancellationToken);
                case var _ when operation.Running:
                    if (time.GetUtcNow() - token.Started > o.BulkTimeout)
                    {
                        using (await client.QueryAsync(connection, ShopifyGraphQlQueries.CancelBulk, new { id = token.Operation }, MutationCost, what, cancellationToken))
                        {
                        }

                        return await FallBackAsync(connection, type, token, $"still {status} after {o.BulkTimeout.TotalMinutes:0.#} min (cancelled)", pageSize, cancellationToken);
                    }

                    break;
                default:
                    throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: unknown status '{status}'");
            }

            if (!await wait.WaitAsync(cancellationToken))
            {
                return new FetchPage([], [], token.Encode());
            }
        }
    }

    /// <summary>The file whole on disk (resuming a part that is there); false when the download broke off.</summary>
    private async Task<bool> DownloadAsync(Connection connection, string operation, Uri url, long? size, CancellationToken cancellationToken)
    {
        if (File.Exists(files.PathOf(connection, operation)))
        {
            return true;
        }

        var from = files.PartLength(connection, operation);
        if (size is { } expected && from > expected)
        {
            from = 0;
        }

        if (size is null || from < size)
        {
            var started = time.GetTimestamp();
            try
            {
                await http.DownloadAsync(connection, url, from, (body, partial, ct) =>
                    files.AppendAsync(connection, operation, fromStart: !partial, (file, fileCt) => body.CopyToAsync(file, fileCt), ct), "shopify bulk result download", cancellationToken);
            }
            catch (MarketplaceException ex) when (ex.Kind == MarketplaceErrorKind.Transient)
            {
                LogDownloadBroke(connection.Id, operation, files.PartLength(connection, operation), ex.Message);
                return false;
            }

            LogDownloaded(connection.Id, operation, from, files.PartLength(connection, operation), time.GetElapsedTime(started).TotalSeconds);
        }

        if (size is { } whole && files.PartLength(connection, operation) != whole)
        {
            LogDownloadBroke(connection.Id, operation, files.PartLength(connection, operation), $"{whole} bytes expected");
            return false;
        }

        // Ungrouped from 2026-01 (see ShopifyBulkGrouping): the reader below needs each object's lines after it.
        var part = files.PartOf(connection, operation);
        await files.StoreAsync(
            connection,
            operation,
            (target, ct) => ShopifyBulkGrouping.GroupAsync(part, target, part + ".buckets", "shopify bulk result", ct),
            cancellationToken);
        File.Delete(part);
        return true;
    }

    private async Task<FetchPage> ReadAsync(Connection connection, EntityType type, ShopifyBulkToken token, int pageSize, CancellationToken cancellationToken)
    {
        var path = files.PathOf(connection, token.Operation);
        if (!File.Exists(path))
        {
            // Another machine's run, or a restart that lost the file: fetch it again (the operation keeps its URL for a week).
            return await PollAsync(connection, type, token with { Stage = ShopifyBulkStage.Poll }, pageSize, cancellationToken);
        }

        var what = $"shopify {type.ToWire()} bulk result";
        var currency = ShopifySettings.Of(connection).Currency;
        var groups = new List<(JsonDocument Parent, List<JsonDocument> Children)>(pageSize);
        long? total = null;
        long? nextOffset = null;
        try
        {
            using (var lines = new FileLines(path))
            {
                if (token.Offset == 0)
                {
                    // Shopify's rootObjectCount is the file's objects; a token from before it was kept counts them.
                    total = token.Roots ?? CountObjects(lines);
                    lines.Seek(0);
                }
                else
                {
                    lines.Seek(token.Offset);
                }

                while (true)
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

                    var document = Parse(line, what);
                    if (document.RootElement.Opt("__parentId") is null)
                    {
                        if (groups.Count == pageSize)
                        {
                            document.Dispose();
                            nextOffset = lineStart;
                            break;
                        }

                        groups.Add((document, []));
                    }
                    else if (groups.Count > 0)
                    {
                        groups[^1].Children.Add(document);
                    }
                    else
                    {
                        // A child before any parent: only at a page start that was not an object's (a token not ours).
                        document.Dispose();
                        throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: a nested line where an object was expected (offset {lineStart})");
                    }
                }
            }

            var (records, rejected) = RecordMapper.Map(
                groups,
                what,
                g => ShopifyGraphQlMapper.Map(type, g.Parent.RootElement, g.Children.Select(c => c.RootElement), currency),
                g => RecordMapper.Safe(() => ShopifyGraphQlMapper.NumericId(g.Parent.RootElement)),
                g => g.Parent.RootElement.OptDate("updatedAt"));
            if (nextOffset is { } offset)
            {
                return new FetchPage(records, rejected, (token with { Offset = offset }).Encode(), total, Expected: ExpectedOf(type, token));
            }

            // A later feed of the run reading the same operation (prices after products) uses the file as it is.
            if (!prestarts.Awaited(connection.Id, token.Operation))
            {
                files.Delete(connection, token.Operation);
            }

            return new FetchPage(records, rejected, null, total, Expected: ExpectedOf(type, token));
        }
        finally
        {
            foreach (var (parent, children) in groups)
            {
                parent.Dispose();
                children.ForEach(c => c.Dispose());
            }
        }
    }

    /// <summary>
    /// What the feed must deliver, stated on its first page: one record per top-level object for orders, customers and
    /// products; prices are a product's variants, any number per object, so they state none.
    /// </summary>
    private static long? ExpectedOf(EntityType type, ShopifyBulkToken token) => token.Offset == 0 && type != EntityType.Prices ? token.Roots : null;

    private static JsonDocument Parse(string line, string what)
    {
        try
        {
            return JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: a line is not JSON ({line.Length} characters)", null, ex);
        }
    }

    /// <summary>The file's objects (lines without a parent): the feed's total, for progress.</summary>
    private static long CountObjects(FileLines lines)
    {
        long count = 0;
        while (lines.TryRead(out var line))
        {
            if (line.Length > 0 && !line.Contains("\"__parentId\"", StringComparison.Ordinal))
            {
                count++;
            }
        }

        return count;
    }

    private async Task<FetchPage> FallBackAsync(Connection connection, EntityType type, ShopifyBulkToken token, string why, int pageSize, CancellationToken cancellationToken)
    {
        LogFallBack(connection.Id, type.ToWire(), token.Operation, why);
        if (token.Operation.Length > 0)
        {
            files.Delete(connection, token.Operation);
        }

        return await PagedAsync(connection, type, token with { Stage = ShopifyBulkStage.Paged, Inner = "" }, pageSize, cancellationToken);
    }

    private async Task<FetchPage> PagedAsync(Connection connection, EntityType type, ShopifyBulkToken token, int pageSize, CancellationToken cancellationToken)
    {
        var page = await paged.FetchAsync(connection, type, null, token.Inner.Length == 0 ? null : token.Inner, pageSize, cancellationToken);
        return page with { NextPageToken = page.NextPageToken is { } next ? (token with { Inner = next }).Encode() : null };
    }

    [LoggerMessage(4110, LogLevel.Debug, "Connection {ConnectionId}: the {EntityType} bulk query was not started ahead ({Why}); it starts when its feed comes")]
    private partial void LogNotStartedAhead(string connectionId, string entityType, string why);

    [LoggerMessage(4111, LogLevel.Debug, "Connection {ConnectionId}: the {EntityType} bulk query {Operation} started ahead was not made ready ({Why}); its feed polls and downloads it")]
    private partial void LogNotPrepared(string connectionId, string entityType, string operation, string why);

    [LoggerMessage(4105, LogLevel.Warning, "Connection {ConnectionId}: the {EntityType} bulk query {Operation} {Why}; the feed is read with paged queries instead")]
    private partial void LogFallBack(string connectionId, string entityType, string operation, string why);

    [LoggerMessage(4106, LogLevel.Information, "Connection {ConnectionId}: bulk result of {Operation} downloaded (from byte {From}, {Bytes} bytes in all, {Seconds:0.0} s)")]
    private partial void LogDownloaded(string connectionId, string operation, long from, long bytes, double seconds);

    [LoggerMessage(4107, LogLevel.Warning, "Connection {ConnectionId}: the download of {Operation}'s result broke off at {Bytes} bytes ({Reason}); it resumes from there")]
    private partial void LogDownloadBroke(string connectionId, string operation, long bytes, string reason);
}
