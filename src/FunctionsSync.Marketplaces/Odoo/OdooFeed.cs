using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Records;
using FunctionsSync.Marketplaces.Http;

namespace FunctionsSync.Marketplaces.Odoo;

/// <summary>
/// A feed read with <c>search_read</c> by keyset, never by <c>offset</c> (a record written while the walk goes on would
/// shift an offset): a full read in <c>id asc</c> order from after the last id read; an incremental one in
/// <c>write_date asc, id asc</c> order from <c>write_date &gt;= since</c>, each next page after the last record read
/// (<c>write_date &gt; its</c>, or the same second and a higher id), so records written in the same second as the
/// cursor are neither lost nor read twice. Datetimes are second-precise strings; the cursor's second is read again
/// (<c>&gt;=</c>) by the next run. Odoo states no count that holds while a walk goes on ("search then search_count may
/// not yield coherent results"), so the feed states none: a short read cannot be told from a deletion.
/// </summary>
public sealed class OdooFeed(OdooClient client)
{
    /// <summary>Odoo documents no maximum <c>limit</c>: pages of at most this many records keep each answer small.</summary>
    public const int MaxPageSize = 500;

    public async Task<FetchPage> FetchAsync(Connection connection, FetchRequest request, CancellationToken cancellationToken)
    {
        OdooPageToken token;
        try
        {
            token = request.PageToken is { } text ? OdooPageToken.Decode(text) : new OdooPageToken(0, null, 0);
        }
        catch (FormatException)
        {
            throw AdapterSupport.BadToken(MarketplaceNames.Odoo, request.PageToken!);
        }

        var models = OdooModel.For(request.EntityType);
        if (token.Phase >= models.Count)
        {
            throw AdapterSupport.BadToken(MarketplaceNames.Odoo, request.PageToken!);
        }

        var model = models[token.Phase];
        var limit = Math.Clamp(request.PageSize, 1, MaxPageSize);
        var incremental = request.Since is not null;
        var parameters = new JsonObject
        {
            ["domain"] = Domain(model, request.Since, token),
            ["fields"] = new JsonArray([.. model.Fields.Select(f => (JsonNode)f)]),
            ["limit"] = limit,
            ["order"] = incremental ? "write_date asc, id asc" : "id asc",
            ["context"] = new JsonObject { ["lang"] = "en_US" },
        };
        var what = $"odoo {model.Name} page";
        using var answer = await client.CallAsync(connection, model.Name, "search_read", parameters, cancellationToken);
        if (answer.Result.ValueKind != JsonValueKind.Array)
        {
            throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: expected a JSON array of records, got {answer.Result.ValueKind}");
        }

        var items = answer.Result.EnumerateArray().ToList();
        var lines = model == OdooModel.Orders && items.Count > 0 ? await LinesAsync(connection, items, cancellationToken) : null;
        var currency = OdooSettings.Of(connection).Currency;
        var (records, rejected) = RecordMapper.Map(
            items,
            what,
            item => Map(request.EntityType, model, item, currency, lines),
            item => item.OptId("id"),
            item => RecordMapper.Safe(() => (DateTimeOffset?)OdooMapper.Date(OdooMapper.WriteDate(item))));

        string? next = null;
        if (items.Count == limit)
        {
            var last = items[^1];
            next = new OdooPageToken(token.Phase, incremental ? last.OptStr("write_date") : null, OdooMapper.Id(last)).Encode();
        }
        else if (token.Phase + 1 < models.Count)
        {
            next = new OdooPageToken(token.Phase + 1, null, 0).Encode();
        }

        return new FetchPage(records, rejected, next);
    }

    /// <summary>
    /// The page's domain in Odoo's prefix notation: the model's own terms, archived records too (<c>active in [true,
    /// false]</c>), and the window: after the keyset position, or (first page) <c>write_date &gt;= since</c>.
    /// </summary>
    private static JsonArray Domain(OdooModel model, DateTimeOffset? since, OdooPageToken token)
    {
        var terms = new List<JsonNode>();
        foreach (var (field, op, value) in model.Domain)
        {
            terms.Add(Term(field, op, value));
        }

        if (model.HasActive)
        {
            terms.Add(Term("active", "in", new JsonArray(true, false)));
        }

        var window = new List<JsonNode>();
        if (since is { } from)
        {
            if (token.WriteDate is { } at)
            {
                // After (at, lastId): '|', (write_date > at), '&', (write_date = at), (id > lastId).
                window.AddRange(["|", Term("write_date", ">", at), "&", Term("write_date", "=", at), Term("id", ">", token.LastId)]);
            }
            else
            {
                window.Add(Term("write_date", ">=", OdooMapper.Format(from)));
            }
        }
        else if (token.LastId > 0)
        {
            window.Add(Term("id", ">", token.LastId));
        }

        // Terms are ANDed implicitly at the top level; the window's own operators are prefix.
        var domain = new JsonArray();
        foreach (var term in terms)
        {
            domain.Add(term);
        }

        foreach (var part in window)
        {
            domain.Add(part);
        }

        return domain;
    }

    private static JsonArray Term(object field, object op, object value) => new(JsonValue.Create(field), JsonValue.Create(op), value switch
    {
        JsonNode node => node,
        long number => JsonValue.Create(number),
        _ => JsonValue.Create(value.ToString()),
    });

    /// <summary>The lines of a page of orders, in one <c>search_read</c> of <c>sale.order.line</c> by <c>order_id in [ids]</c>.</summary>
    private async Task<Dictionary<string, List<JsonElement>>> LinesAsync(Connection connection, List<JsonElement> orders, CancellationToken cancellationToken)
    {
        var ids = new JsonArray([.. orders.Select(o => (JsonNode)JsonValue.Create(OdooMapper.Id(o)))]);
        var parameters = new JsonObject
        {
            ["domain"] = new JsonArray(Term("order_id", "in", ids)),
            ["fields"] = new JsonArray([.. OdooModel.OrderLines.Fields.Select(f => (JsonNode)f)]),
            ["order"] = "id asc",
        };
        using var answer = await client.CallAsync(connection, OdooModel.OrderLines.Name, "search_read", parameters, cancellationToken);
        if (answer.Result.ValueKind != JsonValueKind.Array)
        {
            throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"odoo sale.order.line page: expected a JSON array of records, got {answer.Result.ValueKind}");
        }

        // Cloned: the answer is disposed before the orders are mapped.
        return answer.Result.EnumerateArray()
            .GroupBy(line => OdooMapper.Many2OneId(line, "order_id") ?? "")
            .ToDictionary(g => g.Key, g => g.Select(line => line.Clone()).ToList());
    }

    private static IEnumerable<CanonicalRecord> Map(EntityType type, OdooModel model, JsonElement item, string currency, Dictionary<string, List<JsonElement>>? lines)
    {
        if (model == OdooModel.Partners)
        {
            return [OdooMapper.Customer(item)];
        }

        if (model == OdooModel.Orders)
        {
            return [OdooMapper.Order(item, lines?.GetValueOrDefault(OdooMapper.Id(item).ToString(CultureInfo.InvariantCulture)) ?? [])];
        }

        if (model == OdooModel.PricelistItems)
        {
            return [OdooMapper.PricelistPrice(item)];
        }

        // product.product: the product itself, or (the prices feed's first phase) its list price.
        return type == EntityType.Products ? [OdooMapper.Product(item)] : [OdooMapper.ListPrice(item, currency)];
    }
}
