using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Connections.Settings;
using FunctionsSync.Core.Records;
using FunctionsSync.Marketplaces.Http;
using FunctionsSync.Marketplaces.Paging;

namespace FunctionsSync.Marketplaces.Medipim;

/// <summary>
/// MediPim API v4, the pharmaceutical product catalogue (contracts/medipim/api-v4-official-pages.excerpts.md), as a
/// source of products and their public prices:
/// <list type="bullet">
/// <item>a full read streams the whole catalogue from <c>POST /v4/products/stream</c> ("more than 10000 products → choose
/// streaming"), one JSON line per product with <c>meta.total</c> and <c>meta.index</c>, read as it arrives, a page of
/// lines at a time, the answer held open between pages (<see cref="MedipimStreams"/>). The FAQ's tip ("log which
/// products have been processed, so you don't need to start all over when the connection is lost") is the checkpoint:
/// a stream lost (a broken connection, a restarted process) is carried on from its index through
/// <c>POST /v4/products/query</c> pages of 250 in the same filter and order, never read again from its start;</item>
/// <item>an incremental read pages <c>/v4/products/query</c> with an <c>updatedSince</c> filter (unix seconds).</item>
/// </list>
/// Assumptions where the pages are silent, each the safer reading: the filter <c>updatedSince</c> on products and the
/// product <c>meta.updatedAt</c> are third-party evidence (contracts/medipim/third-party-usage.md), taken as inclusive;
/// products are sorted <c>{"id": "ASC"}</c>, the other query endpoints' documented default (a third-party client sorts
/// by <c>touchedAt</c>, but a product updated mid-walk would move behind the pages not read yet and shift one of them
/// onto a page already read; in id order an update moves nothing); "every product" is the filter on the three
/// documented statuses. 100 requests a minute: paced by <c>Marketplaces:RateLimits:medipim</c>, and a 429
/// (<c>too_many_requests</c>, no <c>Retry-After</c> documented) waits with back-off like any.
/// </summary>
public sealed class MedipimAdapter(MarketplaceHttp http, MedipimStreams streams) : IMarketplaceAdapter
{
    public const string DefaultBaseUrl = "https://api.medipim.be";

    /// <summary>The only page sizes <c>/v4/products/query</c> takes.</summary>
    public static readonly int[] PageSizes = [10, 50, 100, 250];

    /// <summary>Stream lines per page (a write gathers several: <c>Sync:MinRecordsPerWrite</c>).</summary>
    private const int MaxStreamLines = 1_000;

    /// <summary>The statuses a product may have ("active", "replaced" or "inactive"): all of them is the whole catalogue.</summary>
    private static readonly JsonNode EveryProduct = new JsonObject { ["status"] = new JsonArray("active", "replaced", "inactive") };

    private static readonly JsonNode IdOrder = new JsonObject { ["id"] = "ASC" };

    /// <summary>MediPim's catalogues are European: prices are euros unless the connection says otherwise.</summary>
    private static readonly TextSetting Currency = CommonSettings.Currency with { Default = "EUR" };

    public string Marketplace => MarketplaceNames.Medipim;

    /// <summary>An API key id and secret (HTTP Basic); prices in EUR unless <c>currency</c> says otherwise (a regional catalogue).</summary>
    public ConnectionRequirements Requirements { get; } = new()
    {
        Credentials = ["apiKeyId", "apiKeySecret"],
        PageSize = CommonSettings.PageSize(PageSizes[^1]),
        Settings = [Currency],
    };

    public IReadOnlySet<EntityType> SupportedEntityTypes { get; } = new HashSet<EntityType> { EntityType.Products, EntityType.Prices };

    /// <summary>A full read lists every product of every status, so a product missing from it was deleted.</summary>
    public IReadOnlySet<EntityType> FullReadListsAll => SupportedEntityTypes;

    public Task<FetchPage> FetchPageAsync(Connection connection, FetchRequest request, CancellationToken cancellationToken)
    {
        MedipimPageToken token;
        try
        {
            token = request.PageToken is { } text ? MedipimPageToken.Decode(text)
                : request.Since is { } since ? new MedipimPageToken(MedipimReadMode.Changes, 0, null, MedipimMapper.Unix(since), null)
                : new MedipimPageToken(MedipimReadMode.Stream, 0, null, null, null);
        }
        catch (FormatException)
        {
            throw AdapterSupport.BadToken(Marketplace, request.PageToken!);
        }

        return token.Mode switch
        {
            MedipimReadMode.Stream => StreamPageAsync(connection, request, token, cancellationToken),
            MedipimReadMode.Pages => QueryPageAsync(connection, request, token, EveryProduct, PageSizes[^1], cancellationToken),
            _ => QueryPageAsync(connection, request, token, Changed(token.Since!.Value), QuerySize(request.PageSize), cancellationToken),
        };
    }

    /// <summary>The largest page size MediPim takes that is not above the one asked for (at least 10).</summary>
    public static int QuerySize(int asked) => PageSizes.LastOrDefault(s => s <= asked, PageSizes[0]);

    private static JsonNode Changed(long since) => new JsonObject { ["and"] = new JsonArray(EveryProduct.DeepClone(), new JsonObject { ["updatedSince"] = since }) };

    private async Task<FetchPage> StreamPageAsync(Connection connection, FetchRequest request, MedipimPageToken token, CancellationToken cancellationToken)
    {
        var what = $"medipim {request.EntityType.ToWire()} stream";
        string id;
        MedipimStreams.OpenStream? stream;
        if (token.StreamId is null)
        {
            var body = new JsonObject { ["filter"] = EveryProduct.DeepClone(), ["sorting"] = IdOrder.DeepClone() }.ToJsonString();
            var response = await http.OpenStreamAsync(connection, HttpMethod.Post, Endpoint(connection, "products/stream"), body, r => Authorize(connection, r), what, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NoContent)
            {
                // "If no results are found matching the filter, the response will have status 204."
                response.Dispose();
                return new FetchPage([], [], null, 0, Expected: 0);
            }

            id = streams.Add(response, new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken), Encoding.UTF8));
            stream = streams.Take(id, 0)!;
        }
        else
        {
            id = token.StreamId;
            stream = streams.Take(id, token.Index);
            if (stream is null)
            {
                // Not this process's (a restart, another replica) or closed while idle: on from the index, by pages.
                return await QueryPageAsync(connection, request, token with { Mode = MedipimReadMode.Pages, StreamId = null }, EveryProduct, PageSizes[^1], cancellationToken);
            }
        }

        var lines = new List<JsonDocument>();
        var broken = false;
        var ended = false;
        try
        {
            var want = Math.Clamp(request.PageSize, 1, MaxStreamLines);
            while (lines.Count < want)
            {
                string? line;
                try
                {
                    line = await stream.Reader.ReadLineAsync(cancellationToken);
                }
                catch (Exception ex) when (ex is IOException or HttpRequestException)
                {
                    broken = true;
                    break;
                }

                if (line is null)
                {
                    ended = true;
                    break;
                }

                if (line.Length == 0)
                {
                    continue;
                }

                var document = ParseLine(line, what);
                var meta = document.RootElement.Req("meta");
                if (meta.Long("index") != stream.NextIndex)
                {
                    throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: line {meta.Long("index")} came where line {stream.NextIndex} was due");
                }

                stream.Total ??= meta.Long("total");
                stream.NextIndex++;
                lines.Add(document);
            }

            var (records, rejected) = Map(lines.Select(l => l.RootElement.Req("result")), request.EntityType, connection, what);
            var total = stream.Total ?? token.Total;
            var first = token.StreamId is null ? total : null;
            var next = stream.NextIndex;
            if (!ended && !broken)
            {
                streams.Return(id, stream);
                stream = null;
                return new FetchPage(records, rejected, new MedipimPageToken(MedipimReadMode.Stream, next, total, null, id).Encode(), first, Expected: records.Count + rejected.Count);
            }

            // The stream ended, or broke off: what it did not deliver is read by pages from where it stopped.
            var more = total is { } t ? next < t : broken;
            var rest = more ? new MedipimPageToken(MedipimReadMode.Pages, next, total, null, null).Encode() : null;
            return new FetchPage(records, rejected, rest, first, Expected: records.Count + rejected.Count);
        }
        finally
        {
            foreach (var document in lines)
            {
                document.Dispose();
            }

            stream?.Dispose();
        }
    }

    /// <summary>
    /// One page of <c>POST /v4/products/query</c> from result-set index <see cref="MedipimPageToken.Index"/>: the page
    /// holding it (pages are numbered from 0 in fixed sizes), less the products before it.
    /// </summary>
    private async Task<FetchPage> QueryPageAsync(Connection connection, FetchRequest request, MedipimPageToken token, JsonNode filter, int size, CancellationToken cancellationToken)
    {
        var what = $"medipim {request.EntityType.ToWire()} page";
        var no = token.Index / size;
        var skip = (int)(token.Index % size);
        var body = new JsonObject
        {
            ["filter"] = filter.DeepClone(),
            ["sorting"] = IdOrder.DeepClone(),
            ["page"] = new JsonObject { ["no"] = no, ["size"] = size },
        }.ToJsonString();
        using var response = await http.SendJsonAsync(connection, null, HttpMethod.Post, Endpoint(connection, "products/query"), body, r => Authorize(connection, r), what, cancellationToken);
        var root = response.Root;
        if (root.Opt("results") is not { ValueKind: JsonValueKind.Array } results || root.Opt("meta") is not { } meta)
        {
            throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: the answer has no 'results' array or no 'meta'");
        }

        var total = meta.Long("total");
        var returned = results.GetArrayLength();
        var offset = no * size;
        var (records, rejected) = Map(results.EnumerateArray().Skip(skip), request.EntityType, connection, what);
        var ended = returned < size || offset + returned >= total;
        var next = offset + returned;
        // Counted as WooCommerce's lists are: a page that ends the list short of the total left products out.
        var expected = ListShortfall.Expected(total, (int)Math.Min(offset, int.MaxValue), returned, ended, records.Count + rejected.Count);
        var nextToken = ended ? null : token with { Index = next, Total = total, StreamId = null };
        return new FetchPage(records, rejected, nextToken?.Encode(), request.PageToken is null ? total : null, Expected: expected);
    }

    private (List<CanonicalRecord> Records, List<RejectedRecord> Rejected) Map(IEnumerable<JsonElement> products, EntityType type, Connection connection, string what)
    {
        var currency = Currency.Of(connection)!;
        return RecordMapper.Map(
            products,
            what,
            product => type == EntityType.Products ? [MedipimMapper.Product(product)] : MedipimMapper.Prices(product, currency),
            product => product.OptId("id"),
            product => RecordMapper.Safe(() => (DateTimeOffset?)MedipimMapper.UpdatedAt(product)));
    }

    private static JsonDocument ParseLine(string line, string what)
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

    private static Uri Endpoint(Connection connection, string path) => new($"{AdapterSupport.BaseUrl(connection, DefaultBaseUrl)}/v4/{path}");

    /// <summary>"Use your API key ID as the username and your API key secret as the password."</summary>
    private static void Authorize(Connection connection, HttpRequestMessage request) =>
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(
            $"{AdapterSupport.Credential(connection, "apiKeyId")}:{AdapterSupport.Credential(connection, "apiKeySecret")}")));
}
