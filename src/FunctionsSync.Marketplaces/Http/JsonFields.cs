using System.Globalization;
using System.Text.Json;

namespace FunctionsSync.Marketplaces.Http;

/// <summary>Reads wire fields; required ones throw <see cref="RecordFieldException"/> naming the field.</summary>
public static class JsonFields
{
    public static JsonElement? Opt(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public static JsonElement Req(this JsonElement element, string name) =>
        element.Opt(name) ?? throw new RecordFieldException(name, "missing");

    /// <summary>An id or other scalar as text, whether sent as a number or a string.</summary>
    public static string Id(this JsonElement element, string name) => Text(element.Req(name), name);

    public static string? OptId(this JsonElement element, string name) => element.Opt(name) is { } v ? Text(v, name) : null;

    public static string Str(this JsonElement element, string name) => element.Req(name).ValueKind == JsonValueKind.String
        ? element.Req(name).GetString()!
        : throw new RecordFieldException(name, "non-text");

    public static string? OptStr(this JsonElement element, string name) =>
        element.Opt(name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

    public static decimal Decimal(this JsonElement element, string name) =>
        OptDecimal(element, name) ?? throw new RecordFieldException(name, "missing");

    public static decimal? OptDecimal(this JsonElement element, string name)
    {
        if (element.Opt(name) is not { } v)
        {
            return null;
        }

        if (v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out var number))
        {
            return number;
        }

        if (v.ValueKind == JsonValueKind.String && string.IsNullOrEmpty(v.GetString()))
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.String && decimal.TryParse(v.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw new RecordFieldException(name, "unreadable number in");
    }

    public static int? OptInt(this JsonElement element, string name) =>
        element.Opt(name) is { ValueKind: JsonValueKind.Number } v && v.TryGetInt32(out var i) ? i : null;

    public static long Long(this JsonElement element, string name) =>
        element.Req(name) is { ValueKind: JsonValueKind.Number } v && v.TryGetInt64(out var l) ? l : throw new RecordFieldException(name, "unreadable integer in");

    /// <summary>An ISO 8601 date; <paramref name="assumeUtc"/> for WooCommerce's *_gmt fields, which carry no offset.</summary>
    public static DateTimeOffset Date(this JsonElement element, string name, bool assumeUtc = false) =>
        OptDate(element, name, assumeUtc) ?? throw new RecordFieldException(name, "missing");

    public static DateTimeOffset? OptDate(this JsonElement element, string name, bool assumeUtc = false)
    {
        if (element.Opt(name) is not { } v)
        {
            return null;
        }

        var style = assumeUtc ? DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal : DateTimeStyles.None;
        return v.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(v.GetString(), CultureInfo.InvariantCulture, style, out var date)
            ? date.ToUniversalTime()
            : throw new RecordFieldException(name, "unreadable date in");
    }

    public static DateTimeOffset UnixDate(this JsonElement element, string name) => DateTimeOffset.FromUnixTimeSeconds(element.Long(name));

    private static string Text(JsonElement value, string name) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        _ => throw new RecordFieldException(name, "unreadable"),
    };
}
