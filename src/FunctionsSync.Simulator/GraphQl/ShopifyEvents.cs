using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FunctionsSync.Simulator.Data;

namespace FunctionsSync.Simulator.GraphQl;

/// <summary>
/// The Admin API's <c>events</c> query (contracts/shopify/admin_2026-04.deletion-events-slice.json, which replaces the
/// <c>deletionEvents</c> query deprecated in 2026-01): <c>BasicEvent</c> nodes of the store's activity log, every
/// record's last change (<c>update</c>) and every deletion (<c>destroy</c>) of orders, products and customers, filtered by
/// the search terms the schema documents (<c>subject_type</c>, <c>action</c>, <c>created_at</c>, <c>comments</c>, joined
/// by AND), sorted by <c>CREATED_AT</c> (the default here) or <c>ID</c>. Like Shopify's search, a term it does not know
/// is ignored, not refused: a query that misspells a filter lists every event.
/// </summary>
internal static partial class ShopifyEvents
{
    private const int MaxFirst = 250;

    private static readonly (SimKind Kind, string SubjectType, string Gid)[] Subjects =
    [
        (SimKind.Orders, "ORDER", "Order"),
        (SimKind.Products, "PRODUCT", "Product"),
        (SimKind.Customers, "CUSTOMER", "Customer"),
    ];

    public static JsonObject Page(SimStore store, GqlField field, ref int cost)
    {
        var first = field.Argument("first") as long? ?? throw new GqlException("You must provide one of first or last to paginate the 'events' connection.");
        if (first is < 1 or > MaxFirst)
        {
            throw new GqlException($"The 'events' connection accepts first between 1 and {MaxFirst}.");
        }

        if (field.Argument("sortKey") is string sortKey && sortKey is not ("CREATED_AT" or "ID"))
        {
            throw new GqlException($"Argument 'sortKey' on Field 'events' has an invalid value ({sortKey}). Expected type 'EventSortKeys'.");
        }

        var skip = 0;
        if (field.Argument("after") is string after && !int.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out skip))
        {
            throw new GqlException("Invalid cursor.");
        }

        var filter = Filter(field.Argument("query") as string);
        var all = Subjects
            .Where(s => filter.SubjectType is null || filter.SubjectType == s.SubjectType)
            .SelectMany(s => store.Events(s.Kind).Select(e => (Subject: s, Event: e)))
            .Where(x => filter.Action is null || filter.Action == x.Event.Action)
            .Where(x => filter.Admits(x.Event.At))
            .Select(x => Node(store, x.Subject, x.Event))
            .ToList();
        var page = all.Skip(skip).Take((int)first).ToList();
        cost += 2;
        return ShopifyGraphQlNodes.Connection(page, field, ref cost, hasNext: all.Count > skip + page.Count, cursor: i => (skip + i + 1).ToString(CultureInfo.InvariantCulture));
    }

    private static JsonObject Node(SimStore store, (SimKind Kind, string SubjectType, string Gid) subject, SimEvent e)
    {
        var id = subject.Kind switch
        {
            SimKind.Orders => SimCatalog.OrderId(e.Index),
            SimKind.Products => SimCatalog.ProductId(e.Index),
            _ => SimCatalog.CustomerId(e.Index),
        };
        // Event ids rise with time here, so sorting by ID and by CREATED_AT agree.
        var eventId = (e.At.ToUnixTimeSeconds() * 1_000_000) + ((long)subject.Kind * 100_000) + e.Index;
        return new JsonObject
        {
            ["__typename"] = "BasicEvent",
            ["id"] = $"gid://shopify/BasicEvent/{eventId}",
            ["action"] = e.Action,
            ["createdAt"] = e.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["message"] = $"{subject.Gid} {id} was {(e.Action == "destroy" ? "deleted" : "updated")}.",
            ["subjectId"] = $"gid://shopify/{subject.Gid}/{id}",
            ["subjectType"] = subject.SubjectType,
            ["attributeToApp"] = false,
            ["attributeToUser"] = true,
            ["criticalAlert"] = false,
        };
    }

    private static EventFilter Filter(string? search)
    {
        var filter = new EventFilter();
        foreach (Match term in Term().Matches(search ?? ""))
        {
            var value = term.Groups["value"].Value.Trim('\'', '"');
            switch (term.Groups["name"].Value)
            {
                case "subject_type":
                    filter = filter with { SubjectType = value.ToUpperInvariant() };
                    break;
                case "action":
                    filter = filter with { Action = value };
                    break;
                case "created_at":
                    if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                    {
                        throw new GqlException($"Invalid date in query: {value}");
                    }

                    filter = term.Groups["op"].Value switch
                    {
                        ">=" => filter with { From = at },
                        ">" => filter with { From = at.AddTicks(1) },
                        "<=" => filter with { To = at },
                        "<" => filter with { To = at.AddTicks(-1) },
                        _ => filter with { From = at, To = at },
                    };
                    break;
            }
        }

        return filter;
    }

    [GeneratedRegex(@"(?<name>[a-z_]+):(?<op>>=|<=|>|<)?(?<value>'[^']*'|""[^""]*""|[^\s)]+)")]
    private static partial Regex Term();

    private sealed record EventFilter(string? SubjectType = null, string? Action = null, DateTimeOffset? From = null, DateTimeOffset? To = null)
    {
        public bool Admits(DateTimeOffset at) => (From is not { } from || at >= from) && (To is not { } to || at <= to);
    }
}
