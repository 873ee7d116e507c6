using System.Globalization;
using System.Text.Json;
using FunctionsSync.Core.Records;
using FunctionsSync.Marketplaces.Http;

namespace FunctionsSync.Marketplaces.Medipim;

/// <summary>
/// A MediPim product (contracts/medipim: <c>id</c>, <c>status</c>, localized <c>name.{locale}</c>, <c>ean[]</c>, prices as
/// integers in the currency's lowest denomination, <c>meta.updatedAt</c> as a unix timestamp) as canonical records.
/// No product example is published: fields beyond those are not read.
/// </summary>
public static class MedipimMapper
{
    /// <summary>Locales tried for a product's title, in order; then any locale it has.</summary>
    private static readonly string[] TitleLocales = ["en", "nl", "fr", "de"];

    public static string Id(JsonElement product) => product.Id("id");

    /// <summary><c>meta.updatedAt</c> (third-party evidence: the products carry the brands' <c>meta</c> shape).</summary>
    public static DateTimeOffset UpdatedAt(JsonElement product) => product.Req("meta").UnixDate("updatedAt");

    public static ProductRecord Product(JsonElement product) => new()
    {
        ExternalId = Id(product),
        UpdatedAt = UpdatedAt(product),
        Title = Title(product),
        // MediPim carries no stock: its availability is the status (active, inactive: "no longer sold", replaced).
        Status = product.OptStr("status"),
        Skus = Eans(product),
    };

    /// <summary>The product's public price, when it has one (an amount in cents: 820 is 8.20).</summary>
    public static IEnumerable<CanonicalRecord> Prices(JsonElement product, string currency)
    {
        if (product.Opt("publicPrice") is not { ValueKind: JsonValueKind.Number } cents)
        {
            return [];
        }

        var id = Id(product);
        return
        [
            new PriceRecord
            {
                ExternalId = id,
                ProductExternalId = id,
                UpdatedAt = UpdatedAt(product),
                Sku = Eans(product).FirstOrDefault(),
                Currency = currency,
                Amount = cents.GetInt64() / 100m,
            },
        ];
    }

    private static string Title(JsonElement product)
    {
        if (product.Opt("name") is not { ValueKind: JsonValueKind.Object } names)
        {
            throw new RecordFieldException("name", "missing");
        }

        foreach (var locale in TitleLocales)
        {
            if (names.OptStr(locale) is { Length: > 0 } title)
            {
                return title;
            }
        }

        return names.EnumerateObject().Select(p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : null).FirstOrDefault(t => !string.IsNullOrEmpty(t))
            ?? throw new RecordFieldException("name", "no locale has a value in");
    }

    /// <summary>EAN codes: "a product may have multiple EAN codes" (integers on the write side; strings kept as they are).</summary>
    private static List<string> Eans(JsonElement product) =>
        product.Opt("ean") is { ValueKind: JsonValueKind.Array } eans
            ? [.. eans.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Number ? e.GetRawText() : e.GetString() ?? "").Where(e => e.Length > 0)]
            : [];

    /// <summary>A unix timestamp as MediPim's filters take it.</summary>
    public static long Unix(DateTimeOffset at) => at.ToUnixTimeSeconds();

    public static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
