using FunctionsSync.Core.Api;

namespace FunctionsSync.Core.Receipts;

public sealed class ImportReceiptRequest
{
    public string? SyncToken { get; set; }
    public string? Receipt { get; set; }
}
