namespace FunctionsSync.Simulator.Data;

public sealed record SimOrder(long Id, int Number, string Status, string Currency, decimal Total, long? CustomerId, string? Email,
    IReadOnlyList<SimOrderLine> Lines, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
