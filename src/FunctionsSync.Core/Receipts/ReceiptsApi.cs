using FunctionsSync.Core.Api;
using FunctionsSync.Core.Connections;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Core.Receipts;

/// <summary>
/// <c>POST /api/orders/import</c>: the push path. The sync token names (and authenticates) the connection, so a
/// storefront can call it without an API key.
/// </summary>
public sealed class ReceiptsApi(IConnectionStore connections, ReceiptImporter importer, IOptions<ReceiptOptions> options)
{
    public async Task<ApiResult<ReceiptView>> ImportAsync(string? body, CancellationToken cancellationToken)
    {
        if (!ApiJson.TryRead<ImportReceiptRequest>(body, out var request, out var problem))
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.SyncToken) || request.SyncToken.Length > 128)
        {
            errors["syncToken"] = ["Required, at most 128 characters."];
        }

        if (string.IsNullOrWhiteSpace(request.Receipt) || request.Receipt.Length > 256 || request.Receipt.Any(char.IsControl))
        {
            errors["receipt"] = ["Required, at most 256 printable characters."];
        }

        if (errors.Count > 0)
        {
            return Problems.BadRequest("The import is not valid.", errors);
        }

        var connection = await connections.FindBySyncTokenAsync(request.SyncToken!.Trim(), cancellationToken);
        if (connection is null || connection.DeletedAt is not null)
        {
            return Problems.NotFound("No connection has this sync token.");
        }

        if (string.IsNullOrEmpty(options.Value.ValidatorUrl))
        {
            return Problems.Unavailable("Receipt validation is not configured (Receipts:ValidatorUrl).");
        }

        if (await importer.ImportAsync(connection, request.Receipt!.Trim(), cancellationToken) is not var (import, created))
        {
            // The token was rotated while this import was under way: refused, as it would be a moment later.
            return Problems.NotFound("No connection has this sync token.");
        }

        return ApiResult.CreatedOrExisting(created, ReceiptView.From(import));
    }
}
