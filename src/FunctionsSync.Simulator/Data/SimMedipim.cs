using System.Globalization;
using System.Text.Json.Nodes;

namespace FunctionsSync.Simulator.Data;

/// <summary>
/// A MediPim catalogue's product (a store's <see cref="SimKind.Products"/>), in the shape the contract pieces give
/// (contracts/medipim: <c>id</c>, <c>status</c>, localized <c>name</c>, <c>ean[]</c>, prices in cents, <c>meta.createdAt</c>
/// and <c>meta.updatedAt</c> as unix timestamps): some products inactive or replaced, some without a public price, names
/// in Dutch and French only (no English), so a reader must fall back on a locale.
/// </summary>
public static class SimMedipim
{
    /// <summary>MediPim ids are strings ("M848B34220" in the official examples); these sort as their index does.</summary>
    public static string Id(int index) => "M" + (index + 1).ToString("D8", CultureInfo.InvariantCulture);

    public static string Status(SimStore store, int index) =>
        (SimRandom.For(store.Config.Seed, 11, index).Int(0, 40)) switch { 0 => "inactive", 1 => "replaced", _ => "active" };

    /// <summary>The public price in cents, or null for a product without one.</summary>
    public static long? PublicPrice(SimStore store, SimRef at)
    {
        var r = SimRandom.For(store.Config.Seed, 12, at.Index);
        return r.Int(0, 25) == 0 ? null : r.Next(1).Int(150, 9_000) + (at.Version * 10);
    }

    public static long Ean(int index) => 5_400_000_000_000 + index;

    public static JsonObject Product(SimStore store, SimRef at)
    {
        var r = SimRandom.For(store.Config.Seed, 13, at.Index);
        var product = new JsonObject
        {
            ["id"] = Id(at.Index),
            ["status"] = Status(store, at.Index),
            ["name"] = new JsonObject
            {
                ["nl"] = $"Product {at.Index + 1}{(at.Version > 0 ? $" v{at.Version}" : "")}",
                ["fr"] = $"Produit {at.Index + 1}",
            },
            ["ean"] = new JsonArray(Ean(at.Index)),
            ["prescription"] = r.Int(0, 5) == 0,
            ["meta"] = new JsonObject
            {
                ["createdAt"] = SimStore.BaseTime.AddSeconds(-at.Index).ToUnixTimeSeconds(),
                ["updatedAt"] = at.UpdatedAt.ToUnixTimeSeconds(),
            },
        };
        if (PublicPrice(store, at) is { } cents)
        {
            product["publicPrice"] = cents;
        }

        return product;
    }
}
