namespace FunctionsSync.Core.Records;

public sealed record OrderRecord : CanonicalRecord
{
    public override EntityType EntityType => EntityType.Orders;

    public string? OrderNumber { get; init; }
    public required string Status { get; init; }
    public required string Currency { get; init; }
    public required decimal Total { get; init; }
    public string? CustomerExternalId { get; init; }
    public string? Email { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public IReadOnlyList<OrderLine> Lines { get; init; } = [];
}
