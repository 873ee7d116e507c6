using System.Net;
using Azure;
using Azure.Data.Tables;

namespace FunctionsSync.Storage.Tables;

/// <summary>The one place storage failures are classified (status code, service error code, failed transaction action).</summary>
internal static class TableErrors
{
    public static bool IsConflict(this RequestFailedException ex) => ex.Status == (int)HttpStatusCode.Conflict;

    public static bool IsPreconditionFailed(this RequestFailedException ex) => ex.Status == (int)HttpStatusCode.PreconditionFailed;

    public static bool IsNotFound(this RequestFailedException ex) => ex.Status == (int)HttpStatusCode.NotFound;

    /// <summary>The row changed (412), vanished (404) or appeared (409) since it was read: the caller's view is stale.</summary>
    public static bool IsStaleView(this RequestFailedException ex) => ex.IsConflict() || ex.IsPreconditionFailed() || ex.IsNotFound();

    /// <summary>The index of the action that failed a transaction, when the service named one.</summary>
    public static int? FailedAction(this RequestFailedException ex) => (ex as TableTransactionFailedException)?.FailedTransactionActionIndex;

    /// <summary>A pop receipt that no longer matches: the message was received again by someone else (or it expired).</summary>
    public static bool IsPopReceiptMismatch(this RequestFailedException ex) =>
        ex.Status == (int)HttpStatusCode.BadRequest && ex.ErrorCode == "PopReceiptMismatch" || ex.IsNotFound();
}
