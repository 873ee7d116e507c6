using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FunctionsSync.Simulator.Endpoints;

/// <summary>
/// An Odoo search domain (contracts/odoo/orm-datetime-write_date-domains.excerpt.rst): <c>[field, operator, value]</c>
/// terms in prefix notation with <c>&amp;</c>, <c>|</c> and <c>!</c>, the top-level list ANDed; operators <c>=</c>, <c>!=</c>,
/// <c>&gt;</c>, <c>&gt;=</c>, <c>&lt;</c>, <c>&lt;=</c>, <c>in</c>, <c>not in</c>, <c>like</c>, <c>ilike</c> (and their negations). A many2one compares by its id; datetimes are
/// strings, which compare as their text does. Without a term on <c>active</c>, archived records are left out, as the ORM does.
/// </summary>
internal sealed class OdooDomain
{
    private readonly Func<JsonObject, bool> test;

    private OdooDomain(Func<JsonObject, bool> test, bool mentionsActive) => (this.test, MentionsActive) = (test, mentionsActive);

    public bool MentionsActive { get; }

    public bool Matches(JsonObject record) =>
        test(record) && (MentionsActive || record["active"] is not JsonValue active || active.GetValue<bool>());

    /// <exception cref="FormatException">Not a domain this parser reads.</exception>
    public static OdooDomain Parse(JsonElement domain)
    {
        if (domain.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("a domain is a list");
        }

        var items = domain.EnumerateArray().ToList();
        var position = 0;
        var parts = new List<Func<JsonObject, bool>>();
        var mentionsActive = false;
        while (position < items.Count)
        {
            parts.Add(Expression(items, ref position, ref mentionsActive));
        }

        return new OdooDomain(r => parts.All(p => p(r)), mentionsActive);
    }

    private static Func<JsonObject, bool> Expression(List<JsonElement> items, ref int position, ref bool mentionsActive)
    {
        var item = items[position++];
        if (item.ValueKind == JsonValueKind.String)
        {
            switch (item.GetString())
            {
                case "!":
                    var inner = Expression(items, ref position, ref mentionsActive);
                    return r => !inner(r);
                case "&" or "|":
                    var op = item.GetString();
                    if (position >= items.Count)
                    {
                        throw new FormatException($"'{op}' needs two operands");
                    }

                    var left = Expression(items, ref position, ref mentionsActive);
                    if (position >= items.Count)
                    {
                        throw new FormatException($"'{op}' needs two operands");
                    }

                    var right = Expression(items, ref position, ref mentionsActive);
                    return op == "&" ? r => left(r) && right(r) : r => left(r) || right(r);
                default:
                    throw new FormatException($"unknown operator '{item.GetString()}'");
            }
        }

        if (item.ValueKind != JsonValueKind.Array || item.GetArrayLength() != 3 || item[0].ValueKind != JsonValueKind.String || item[1].ValueKind != JsonValueKind.String)
        {
            throw new FormatException($"a term is [field, operator, value], not {item.GetRawText()}");
        }

        var field = item[0].GetString()!;
        var comparison = item[1].GetString()!;
        var value = item[2].Clone();
        mentionsActive |= field == "active";
        return comparison switch
        {
            "=" => r => Compare(r[field], value) == 0,
            "!=" => r => Compare(r[field], value) != 0,
            ">" => r => Compare(r[field], value) > 0,
            ">=" => r => Compare(r[field], value) >= 0,
            "<" => r => Compare(r[field], value) < 0,
            "<=" => r => Compare(r[field], value) <= 0,
            "ilike" or "like" or "not ilike" or "not like" when value.ValueKind == JsonValueKind.String => Like(field, comparison, value.GetString()!),
            "in" when value.ValueKind == JsonValueKind.Array => r => value.EnumerateArray().Any(v => Compare(r[field], v) == 0),
            "not in" when value.ValueKind == JsonValueKind.Array => r => !value.EnumerateArray().Any(v => Compare(r[field], v) == 0),
            _ => throw new FormatException($"unsupported operator '{comparison}'"),
        };
    }

    /// <summary>
    /// <c>like</c> and <c>ilike</c> (case-insensitive): the value with <c>%</c> and <c>_</c> as SQL wildcards, and a value
    /// without <c>%</c> matched anywhere (the ORM wraps it in <c>%…%</c>).
    /// </summary>
    private static Func<JsonObject, bool> Like(string field, string comparison, string pattern)
    {
        var wrapped = pattern.Contains('%', StringComparison.Ordinal) ? pattern : $"%{pattern}%";
        var regex = new System.Text.RegularExpressions.Regex(
            "^" + System.Text.RegularExpressions.Regex.Escape(wrapped).Replace("%", ".*", StringComparison.Ordinal).Replace("_", ".", StringComparison.Ordinal) + "$",
            comparison.Contains("ilike", StringComparison.Ordinal) ? System.Text.RegularExpressions.RegexOptions.IgnoreCase : System.Text.RegularExpressions.RegexOptions.None);
        var negated = comparison.StartsWith("not", StringComparison.Ordinal);
        return r => (r[field] is JsonValue v && v.GetValueKind() == JsonValueKind.String && regex.IsMatch(v.GetValue<string>())) != negated;
    }

    /// <summary>A record's field against a domain value; a many2one by its id; a missing or false field is below anything.</summary>
    private static int Compare(JsonNode? field, JsonElement value)
    {
        if (field is JsonArray pair && pair.Count > 0)
        {
            field = pair[0];
        }

        if (field is null || field is JsonValue f && f.GetValueKind() == JsonValueKind.False && value.ValueKind is not (JsonValueKind.False or JsonValueKind.True))
        {
            return -1;
        }

        var kind = ((JsonValue)field).GetValueKind();
        return (kind, value.ValueKind) switch
        {
            (JsonValueKind.Number, JsonValueKind.Number) => Number(field).CompareTo(value.GetDecimal()),
            (JsonValueKind.String, JsonValueKind.String) => string.CompareOrdinal(field.GetValue<string>(), value.GetString()),
            (JsonValueKind.True or JsonValueKind.False, JsonValueKind.True or JsonValueKind.False) => (kind == JsonValueKind.True).CompareTo(value.ValueKind == JsonValueKind.True),
            _ => string.CompareOrdinal(field.ToJsonString(), value.GetRawText()),
        };
    }

    /// <summary>An <c>order</c> such as <c>write_date asc, id asc</c>: fields each ascending or descending.</summary>
    public static IEnumerable<JsonObject> Sort(IEnumerable<JsonObject> records, string? order)
    {
        IOrderedEnumerable<JsonObject>? sorted = null;
        foreach (var part in (order ?? "id asc").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var words = part.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var field = words[0];
            var descending = words.Length > 1 && words[1].Equals("desc", StringComparison.OrdinalIgnoreCase);
            if (words.Length > 2 || (words.Length == 2 && !descending && !words[1].Equals("asc", StringComparison.OrdinalIgnoreCase)))
            {
                throw new FormatException($"invalid order '{part}'");
            }

            Func<JsonObject, string> key = r => SortKey(r[field]);
            sorted = sorted is null
                ? (descending ? records.OrderByDescending(key, StringComparer.Ordinal) : records.OrderBy(key, StringComparer.Ordinal))
                : (descending ? sorted.ThenByDescending(key, StringComparer.Ordinal) : sorted.ThenBy(key, StringComparer.Ordinal));
        }

        return sorted ?? records;
    }

    /// <summary>A number node, whatever CLR type it was made from (a node made from a long does not read as a decimal).</summary>
    private static decimal Number(JsonNode node) => decimal.Parse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>Numbers padded so they sort as numbers; strings as they are.</summary>
    private static string SortKey(JsonNode? value) => value is JsonValue v && v.GetValueKind() == JsonValueKind.Number
        ? Number(v).ToString("000000000000000.000000", CultureInfo.InvariantCulture)
        : value?.ToJsonString() ?? "";
}
