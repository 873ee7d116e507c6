using FunctionsSync.Core.Api;


namespace FunctionsSync.Core.Receipts;

public sealed record ReceiptView(
    string Receipt, string ConnectionId, ReceiptStatus Status, string? OrderId, decimal? Amount, string? Currency, DateTimeOffset? ImportedAt,
    int Attempts, DateTimeOffset? NextAttemptAt, string? Error)
{
    public static ReceiptView From(ReceiptImport r) =>
        new(r.Receipt, r.ConnectionId, r.Status, r.OrderId, r.Amount, r.Currency, r.ImportedAt, r.Attempts, r.NextAttemptAt, r.LastError);
}
