using System.Net;
using Microsoft.WindowsAzure.Storage;

namespace FunctionsSync.Storage.Tables;

internal static class TableErrors
{
    public static bool IsConflict(this StorageException ex) => ex.RequestInformation?.HttpStatusCode == (int)HttpStatusCode.Conflict;

    public static bool IsPreconditionFailed(this StorageException ex) => ex.RequestInformation?.HttpStatusCode == (int)HttpStatusCode.PreconditionFailed;

    public static bool IsNotFound(this StorageException ex) => ex.RequestInformation?.HttpStatusCode == (int)HttpStatusCode.NotFound;
}
