namespace FunctionsSync.Core.Records;

/// <summary>The price of one sellable unit (a variant, or the product where there are no variants).</summary>
public sealed record PriceRecord : CanonicalRecord
{
    public override EntityType EntityType => EntityType.Prices;

    public required string ProductExternalId { get; init; }
    public string? Sku { get; init; }
    public required string Currency { get; init; }
    public required decimal Amount { get; init; }
    public decimal? CompareAtAmount { get; init; }
}
