using System.Globalization;
using System.Text.Json.Nodes;
using FunctionsSync.Simulator.Data;
using FunctionsSync.Simulator.Endpoints;

namespace FunctionsSync.Simulator.GraphQl;

/// <summary>
/// Records as the GraphQL Admin API shapes them: global ids (<c>gid://shopify/Order/1</c>), camelCase fields, money as
/// <c>MoneyBag</c>s, enums in capitals, nested connections (line items, variants) as arrays that a selection pages.
/// </summary>
internal static class ShopifyGraphQlNodes
{
    /// <summary>Fields whose value is a connection: each costs 2 plus its page size times its node's cost.</summary>
    public static readonly IReadOnlySet<string> Connections = new HashSet<string> { "orders", "products", "customers", "lineItems", "variants" };

    public static string Gid(string type, long id) => $"gid://shopify/{type}/{id.ToString(CultureInfo.InvariantCulture)}";

    public static JsonObject Render(SimStore store, SimKind kind, SimRef at) => kind switch
    {
        SimKind.Orders => Order(SimCatalog.Order(store, at)),
        SimKind.Products => Product(SimCatalog.Product(store, at)),
        _ => Customer(SimCatalog.Customer(store, at)),
    };

    private static string Date(DateTimeOffset value) => value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static JsonObject Money(decimal amount, string currency) => new()
    {
        ["shopMoney"] = new JsonObject { ["amount"] = SimResponder.Money(amount), ["currencyCode"] = currency },
    };

    private static JsonObject Order(SimOrder o)
    {
        var lines = new JsonArray();
        foreach (var l in o.Lines)
        {
            lines.Add(new JsonObject
            {
                ["id"] = Gid("LineItem", l.Id),
                ["sku"] = l.Sku,
                ["quantity"] = l.Quantity,
                ["originalUnitPriceSet"] = Money(l.Price, o.Currency),
                ["product"] = new JsonObject { ["id"] = Gid("Product", l.ProductId) },
            });
        }

        return new JsonObject
        {
            ["id"] = Gid("Order", o.Id),
            ["name"] = $"#{o.Number}",
            ["email"] = o.Email,
            ["createdAt"] = Date(o.CreatedAt),
            ["updatedAt"] = Date(o.UpdatedAt),
            ["currencyCode"] = o.Currency,
            ["displayFinancialStatus"] = o.Status.ToUpperInvariant(),
            ["totalPriceSet"] = Money(o.Total, o.Currency),
            ["customer"] = o.CustomerId is { } c ? new JsonObject { ["id"] = Gid("Customer", c) } : null,
            ["lineItems"] = lines,
        };
    }

    private static JsonObject Product(SimProduct p)
    {
        var variants = new JsonArray();
        foreach (var v in p.Variants)
        {
            variants.Add(new JsonObject
            {
                ["id"] = Gid("ProductVariant", v.Id),
                ["sku"] = v.Sku,
                ["price"] = SimResponder.Money(v.Price),
                ["compareAtPrice"] = v.CompareAtPrice is { } c ? SimResponder.Money(c) : null,
                ["inventoryQuantity"] = v.Stock,
            });
        }

        return new JsonObject
        {
            ["id"] = Gid("Product", p.Id),
            ["title"] = p.Title,
            ["status"] = p.Status.ToUpperInvariant(),
            ["createdAt"] = Date(p.CreatedAt),
            ["updatedAt"] = Date(p.UpdatedAt),
            ["variants"] = variants,
        };
    }

    private static JsonObject Customer(SimCustomer c) => new()
    {
        ["id"] = Gid("Customer", c.Id),
        // Deprecated from 2026-01 in favour of defaultEmailAddress.emailAddress; both served, as Shopify does.
        ["email"] = c.Email,
        ["defaultEmailAddress"] = new JsonObject { ["emailAddress"] = c.Email },
        ["firstName"] = c.FirstName,
        ["lastName"] = c.LastName,
        // UnsignedInt64 travels as a string in the Admin API.
        ["numberOfOrders"] = c.OrdersCount.ToString(CultureInfo.InvariantCulture),
        ["createdAt"] = Date(c.CreatedAt),
        ["updatedAt"] = Date(c.UpdatedAt),
    };

    /// <summary>
    /// The fields of <paramref name="node"/> a selection asks for; a nested connection is paged by its <c>first</c>
    /// (required) into <c>edges</c>/<c>nodes</c>/<c>pageInfo</c>. Adds the actual cost of what it returns.
    /// </summary>
    public static JsonObject Project(JsonObject node, IEnumerable<GqlField> selection, ref int cost)
    {
        var result = new JsonObject();
        foreach (var field in selection)
        {
            if (field.OnType is not null)
            {
                // An inline fragment applies to a node of its type (an interface's implementations: events).
                if (node["__typename"]?.GetValue<string>() == field.OnType)
                {
                    foreach (var (name, projected) in Project(node, field.Selection, ref cost).ToList())
                    {
                        result[name] = projected?.DeepClone();
                    }
                }

                continue;
            }

            var value = node[field.Name];
            if (field.Name == "__typename")
            {
                result["__typename"] = node["__typename"]?.DeepClone();
            }
            else if (value is JsonArray items && Connections.Contains(field.Name))
            {
                var first = (int)(field.Argument("first") as long? ?? throw new GqlException($"You must provide one of first or last to paginate the '{field.Name}' connection."));
                var page = items.Take(first).OfType<JsonObject>().ToList();
                cost += 2;
                result[field.Name] = Connection(page, field, ref cost, hasNext: items.Count > first, cursor: i => i.ToString(CultureInfo.InvariantCulture));
            }
            else if (value is JsonObject child && field.Selection.Count > 0)
            {
                cost += 1;
                result[field.Name] = Project(child, field.Selection, ref cost);
            }
            else
            {
                result[field.Name] = value?.DeepClone();
            }
        }

        return result;
    }

    /// <summary>A connection's answer from the nodes of one page.</summary>
    public static JsonObject Connection(IReadOnlyList<JsonObject> page, GqlField field, ref int cost, bool hasNext, Func<int, string> cursor)
    {
        var answer = new JsonObject();
        foreach (var part in field.Selection)
        {
            switch (part.Name)
            {
                case "edges":
                    var edges = new JsonArray();
                    for (var i = 0; i < page.Count; i++)
                    {
                        var edge = new JsonObject();
                        foreach (var e in part.Selection)
                        {
                            if (e.Name == "cursor")
                            {
                                edge["cursor"] = cursor(i);
                            }
                            else if (e.Name == "node")
                            {
                                cost += 1;
                                edge["node"] = Project(page[i], e.Selection, ref cost);
                            }
                        }

                        edges.Add(edge);
                    }

                    answer["edges"] = edges;
                    break;
                case "nodes":
                    var nodes = new JsonArray();
                    foreach (var node in page)
                    {
                        cost += 1;
                        nodes.Add(Project(node, part.Selection, ref cost));
                    }

                    answer["nodes"] = nodes;
                    break;
                case "pageInfo":
                    var info = new JsonObject();
                    foreach (var p in part.Selection)
                    {
                        info[p.Name] = p.Name switch
                        {
                            "hasNextPage" => hasNext,
                            "hasPreviousPage" => false,
                            "endCursor" => page.Count > 0 ? cursor(page.Count - 1) : null,
                            "startCursor" => page.Count > 0 ? cursor(0) : null,
                            _ => null,
                        };
                    }

                    answer["pageInfo"] = info;
                    break;
                default:
                    throw new GqlException($"Field '{part.Name}' doesn't exist on type '{field.Name}' connection.");
            }
        }

        return answer;
    }

    /// <summary>What a selection will cost at most, before it runs: every connection at its full page size.</summary>
    public static int RequestedCost(IEnumerable<GqlField> selection)
    {
        var cost = 0;
        foreach (var field in selection)
        {
            if (Connections.Contains(field.Name))
            {
                var first = field.Argument("first") as long? ?? 0;
                var node = field.Selection.Where(p => p.Name is "edges" or "nodes")
                    .Select(p => p.Name == "nodes" ? 1 + RequestedCost(p.Selection) : p.Selection.Where(e => e.Name == "node").Sum(e => 1 + RequestedCost(e.Selection)))
                    .DefaultIfEmpty(0).Max();
                cost += (int)Math.Min(100_000, 2 + first * node);
            }
            else if (field.Selection.Count > 0)
            {
                cost += (field.OnType is null ? 1 : 0) + RequestedCost(field.Selection);
            }
        }

        return cost;
    }
}
