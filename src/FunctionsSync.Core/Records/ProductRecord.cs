namespace FunctionsSync.Core.Records;

public sealed record ProductRecord : CanonicalRecord
{
    public override EntityType EntityType => EntityType.Products;

    public required string Title { get; init; }
    public string? Status { get; init; }
    public IReadOnlyList<string> Skus { get; init; } = [];

    /// <summary>Stock per SKU and location, as the marketplace reports it with the product.</summary>
    public IReadOnlyList<InventoryLevel> Inventory { get; init; } = [];
}
