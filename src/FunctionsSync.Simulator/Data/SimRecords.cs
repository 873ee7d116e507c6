namespace FunctionsSync.Simulator.Data;

public sealed record SimOrderLine(long Id, long ProductId, string Sku, int Quantity, decimal Price);

public sealed record SimOrder(long Id, int Number, string Status, string Currency, decimal Total, long? CustomerId, string? Email,
    IReadOnlyList<SimOrderLine> Lines, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record SimVariant(long Id, string Sku, decimal Price, decimal? CompareAtPrice, int Stock);

public sealed record SimProduct(long Id, string Title, string Status, IReadOnlyList<SimVariant> Variants, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record SimCustomer(long Id, string FirstName, string LastName, string Email, int OrdersCount, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
