namespace FunctionsSync.Core.Records;

public sealed record InventoryLevel(string? Sku, string LocationId, int Available);
