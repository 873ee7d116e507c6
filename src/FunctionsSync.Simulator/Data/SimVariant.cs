namespace FunctionsSync.Simulator.Data;

public sealed record SimVariant(long Id, string Sku, decimal Price, decimal? CompareAtPrice, int Stock);
