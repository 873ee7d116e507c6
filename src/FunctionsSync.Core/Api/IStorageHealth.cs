namespace FunctionsSync.Core.Api;

/// <summary>Reachability of the storage account's tables and queues, for <c>GET /api/health</c>.</summary>
public interface IStorageHealth
{
    Task<IReadOnlyDictionary<string, string>> CheckAsync(CancellationToken cancellationToken);
}
