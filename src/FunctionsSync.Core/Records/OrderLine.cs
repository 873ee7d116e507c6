namespace FunctionsSync.Core.Records;

public sealed record OrderLine(string ExternalId, string? ProductExternalId, string? Sku, int Quantity, decimal UnitPrice);
