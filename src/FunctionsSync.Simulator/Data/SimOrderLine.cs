namespace FunctionsSync.Simulator.Data;

public sealed record SimOrderLine(long Id, long ProductId, string Sku, int Quantity, decimal Price);
