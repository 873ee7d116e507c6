namespace FunctionsSync.Core.Api;

public sealed class ImportReceiptRequest
{
    public string? SyncToken { get; set; }
    public string? Receipt { get; set; }
}
