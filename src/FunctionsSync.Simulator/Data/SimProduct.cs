namespace FunctionsSync.Simulator.Data;

public sealed record SimProduct(long Id, string Title, string Status, IReadOnlyList<SimVariant> Variants, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
