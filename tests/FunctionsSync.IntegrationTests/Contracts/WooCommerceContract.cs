using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace FunctionsSync.IntegrationTests.Contracts;

/// <summary>
/// WooCommerce REST v3 as current core registers it (contracts/woocommerce/core-rest-parameters.md: the "Result per
/// endpoint" table and the lists of common parameters) and as its reference pages describe each resource's fields
/// (the "… properties" tables of _orders.md, _products.md, _product-variations.md, _customers.md).
/// </summary>
public sealed partial class WooCommerceContract
{
    private static readonly Lazy<WooCommerceContract> Instance = new(() => new WooCommerceContract());

    private readonly Dictionary<string, Endpoint> endpoints = [];
    private readonly Dictionary<string, Dictionary<string, string>> fields = [];

    private WooCommerceContract()
    {
        var summary = ContractFiles.Text("woocommerce/core-rest-parameters.md");
        var crud = Ticked(Between(summary, "CRUD base common params:", "All date filters"));
        var customers = Ticked(Between(summary, "Customers V1 also has", ".")).Concat(Ticked(Between(summary, "generic WordPress", ")")));
        foreach (var row in summary.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)))
        {
            var cells = row.Split('|').Select(c => c.Trim()).ToArray();
            if (cells.Length < 7 || cells[1] is not ("orders" or "products" or "product variations" or "customers"))
            {
                continue;
            }

            var orderBy = Ticked(cells[2].Split("(default", 2)[0]).ToHashSet();
            var dates = cells[5].Contains("yes", StringComparison.Ordinal);
            var registered = (cells[1] == "customers" ? customers : crud).Append("orderby").Append("order").ToHashSet();
            if (!dates)
            {
                registered.ExceptWith(["after", "before", "modified_after", "modified_before", "dates_are_gmt"]);
            }

            endpoints[cells[1]] = new Endpoint(orderBy, registered);
        }

        foreach (var (resource, file, heading) in new[]
        {
            ("orders", "_orders.md", "## Order properties ##"),
            ("products", "_products.md", "## Product properties ##"),
            ("product variations", "_product-variations.md", "## Product variation properties ##"),
            ("customers", "_customers.md", "## Customer properties ##"),
        })
        {
            var text = ContractFiles.Text($"woocommerce/{file}");
            var table = text[(text.IndexOf(heading, StringComparison.Ordinal) + heading.Length)..].Split("\n#", 2)[0];
            fields[resource] = table.Split('\n').Select(l => FieldRow().Match(l)).Where(m => m.Success).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Trim());
        }
    }

    public static WooCommerceContract Load() => Instance.Value;

    public IReadOnlyCollection<string> Endpoints => endpoints.Keys;

    /// <summary>The endpoint a request path (after <c>/wp-json/wc/v3/</c>) is: orders, products, product variations, customers.</summary>
    public static string? EndpointOf(string path) => path.Trim('/').Split('/') switch
    {
        ["orders"] => "orders",
        ["products"] => "products",
        ["products", _, "variations"] => "product variations",
        ["customers"] => "customers",
        _ => null,
    };

    public IReadOnlyList<string> CheckRequest(string pathAndQuery)
    {
        var question = pathAndQuery.IndexOf('?');
        var path = question < 0 ? pathAndQuery : pathAndQuery[..question];
        if (EndpointOf(path) is not { } name || !endpoints.TryGetValue(name, out var endpoint))
        {
            return [$"{path}: no endpoint of the contract"];
        }

        var errors = new List<string>();
        foreach (var pair in question < 0 ? [] : pathAndQuery[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
            if (!endpoint.Registered.Contains(key))
            {
                errors.Add($"{name}: '{key}' is not registered (WordPress ignores it)");
            }
            else if (key == "orderby" && !endpoint.OrderBy.Contains(value))
            {
                errors.Add($"{name}: orderby={value} is outside {string.Join(", ", endpoint.OrderBy)} (400 rest_invalid_param)");
            }
            else if (key == "order" && value is not ("asc" or "desc"))
            {
                errors.Add($"{name}: order={value}");
            }
            else if (key == "per_page" && (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var perPage) || perPage is < 1 or > 100))
            {
                errors.Add($"{name}: per_page={value} is outside 1-100");
            }
        }

        return errors;
    }

    /// <summary>Fields of a resource's JSON that its reference table lacks, or whose JSON kind contradicts the table's type.</summary>
    public IReadOnlyList<string> CheckResource(string endpoint, JsonElement item)
    {
        var table = fields[endpoint];
        var errors = new List<string>();
        foreach (var property in item.EnumerateObject())
        {
            if (!table.TryGetValue(property.Name, out var type))
            {
                errors.Add($"{endpoint}.{property.Name}: not a documented field");
                continue;
            }

            var value = property.Value;
            var ok = value.ValueKind == JsonValueKind.Null || type switch
            {
                "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
                "number" => value.ValueKind == JsonValueKind.Number,
                "string" or "date-time" => value.ValueKind == JsonValueKind.String,
                "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
                "array" => value.ValueKind == JsonValueKind.Array,
                "object" => value.ValueKind == JsonValueKind.Object,
                _ => true,
            };
            if (!ok)
            {
                errors.Add($"{endpoint}.{property.Name}: a {value.ValueKind}, documented as {type}");
            }
        }

        return errors;
    }

    private static string Between(string text, string from, string to)
    {
        var start = text.IndexOf(from, StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidOperationException($"core-rest-parameters.md no longer says '{from}'");
        }

        start += from.Length;
        var end = text.IndexOf(to, start, StringComparison.Ordinal);
        return text[start..(end < 0 ? text.Length : end)];
    }

    private static IEnumerable<string> Ticked(string text) => Tick().Matches(text).Select(m => m.Groups[1].Value);

    [GeneratedRegex("`([a-z_]+)`")]
    private static partial Regex Tick();

    [GeneratedRegex(@"^\|\s*`([a-z_0-9]+)`\s*\|\s*([a-z\-]+)\s*\|")]
    private static partial Regex FieldRow();

    private sealed record Endpoint(HashSet<string> OrderBy, HashSet<string> Registered);
}
