using FunctionsSync.Core.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Core.Receipts;

/// <summary>
/// The push path: a receipt is validated through the connection's marketplace once, and its outcome stored per
/// (connection, receipt). Failed and rate-limited receipts are asked again by the worker at
/// min(<see cref="ReceiptOptions.BaseRetryDelay"/> × 2^(attempt−1), <see cref="ReceiptOptions.MaxRetryDelay"/>).
/// </summary>
public sealed partial class ReceiptImporter(
    IConnectionStore connections,
    IReceiptStore store,
    IReceiptValidator validator,
    IOptions<ReceiptOptions> options,
    TimeProvider time,
    ILogger<ReceiptImporter> logger)
{
    private ReceiptOptions Options => options.Value;

    private DateTimeOffset Now => time.GetUtcNow();

    /// <summary>Imports a receipt, or returns its stored outcome (then <c>Created</c> is false and the marketplace is not asked).</summary>
    /// <returns>The import as stored and whether this call made it; null when the connection's sync token was
    /// rotated (or the connection deleted) between the caller's check and the claim: the import is refused and its claim taken back.</returns>
    public async Task<(ReceiptImport Import, bool Created)?> ImportAsync(Connection connection, string receipt, CancellationToken cancellationToken)
    {
        var (stored, claimed) = await store.ClaimAsync(new ReceiptImport
        {
            ConnectionId = connection.Id,
            Receipt = receipt,
            CreatedAt = Now,
            UpdatedAt = Now,
        }, cancellationToken);

        // An import counts under a token only if that token was still the connection's once its claim had landed: a
        // rotation racing it either came after (the import stands) or is seen here (the import is refused, as if sent after).
        if (await connections.GetAsync(connection.Id, cancellationToken) is not { DeletedAt: null } current || current.SyncTokenHash != connection.SyncTokenHash)
        {
            if (claimed)
            {
                await store.WithdrawAsync(stored, cancellationToken);
            }

            return null;
        }

        if (!claimed)
        {
            return (stored, false);
        }

        return (await AttemptAsync(connection, stored, cancellationToken) ?? stored, true);
    }

    /// <summary>Asks again for every due receipt (and takes over abandoned claims). Returns how many were asked.</summary>
    public async Task<int> RetryDueAsync(CancellationToken cancellationToken)
    {
        var asked = 0;
        foreach (var due in await store.ListDueAsync(Now, Now - Options.StaleClaimAfter, 100, cancellationToken))
        {
            // Claim the attempt: another worker reading the same row loses the conditional write.
            if (await store.TrySaveAsync(due with { NextAttemptAt = Now + Options.StaleClaimAfter, UpdatedAt = Now }, cancellationToken) is not { } claimed)
            {
                continue;
            }

            var connection = await connections.GetAsync(claimed.ConnectionId, cancellationToken);
            if (connection is null || connection.DeletedAt is not null)
            {
                await store.TrySaveAsync(claimed with { Status = ReceiptStatus.Failed, NextAttemptAt = null, LastError = "The connection was deleted.", UpdatedAt = Now }, cancellationToken);
                continue;
            }

            var result = await AttemptAsync(connection, claimed, cancellationToken);
            LogRetried(claimed.ConnectionId, claimed.Receipt, result?.Status ?? claimed.Status, claimed.Attempts + 1);
            asked++;
        }

        return asked;
    }

    private async Task<ReceiptImport?> AttemptAsync(Connection connection, ReceiptImport receipt, CancellationToken cancellationToken)
    {
        ReceiptCheck check;
        try
        {
            check = await validator.ValidateAsync(connection, receipt.Receipt, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            check = new ReceiptCheck(ReceiptCheckKind.Error, Error: ex.Message);
        }

        var attempts = receipt.Attempts + 1;
        DateTimeOffset? next = attempts >= Options.MaxAttempts ? null : Now + Options.DelayAfter(attempts);
        var updated = check.Kind switch
        {
            ReceiptCheckKind.Valid => receipt with
            {
                Status = ReceiptStatus.Success, OrderId = check.OrderId, Amount = check.Amount, Currency = check.Currency,
                ImportedAt = check.ImportedAt ?? Now, NextAttemptAt = null, LastError = null,
            },
            ReceiptCheckKind.RateLimited => receipt with { Status = ReceiptStatus.RateLimited, NextAttemptAt = next, LastError = "The marketplace rate-limited the validation." },
            ReceiptCheckKind.Invalid => receipt with { Status = ReceiptStatus.Failed, NextAttemptAt = next, LastError = check.Error ?? "The marketplace says the receipt is not valid." },
            _ => receipt with { Status = ReceiptStatus.Failed, NextAttemptAt = next, LastError = check.Error ?? "The validation failed." },
        };
        return await store.TrySaveAsync(updated with { Attempts = attempts, UpdatedAt = Now }, cancellationToken);
    }

    [LoggerMessage(5001, LogLevel.Information, "Receipt {Receipt} of connection {ConnectionId} asked again (attempt {Attempt}): {Status}")]
    private partial void LogRetried(string connectionId, string receipt, ReceiptStatus status, int attempt);
}
