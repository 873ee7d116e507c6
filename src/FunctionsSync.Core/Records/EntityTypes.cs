using System.Diagnostics.CodeAnalysis;

namespace FunctionsSync.Core.Records;

/// <summary>Wire names ("orders", "products", ...) and the run order of entity types.</summary>
public static class EntityTypes
{
    /// <summary>Every entity type in the order a run processes them: orders, customers, products, prices.</summary>
    public static IReadOnlyList<EntityType> All { get; } = [EntityType.Orders, EntityType.Customers, EntityType.Products, EntityType.Prices];

    public static string ToWire(this EntityType type) => type switch
    {
        EntityType.Orders => "orders",
        EntityType.Customers => "customers",
        EntityType.Products => "products",
        EntityType.Prices => "prices",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static bool TryParse(string? value, [NotNullWhen(true)] out EntityType? type)
    {
        type = value?.Trim().ToLowerInvariant() switch
        {
            "orders" => EntityType.Orders,
            "customers" => EntityType.Customers,
            "products" => EntityType.Products,
            "prices" => EntityType.Prices,
            _ => null,
        };
        return type is not null;
    }

    public static EntityType Parse(string value) =>
        TryParse(value, out var type) ? type.Value : throw new FormatException($"Unknown entity type '{value}'. Expected orders, customers, products or prices.");

    /// <summary>Distinct, in run order.</summary>
    public static IReadOnlyList<EntityType> InRunOrder(IEnumerable<EntityType> types) => [.. types.Distinct().Order()];
}
