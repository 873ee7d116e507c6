namespace FunctionsSync.Core.Api;

/// <summary>Reachability of the storage account's tables and queues, for <c>GET /api/health</c>.</summary>
public interface IStorageHealth
{
    public const string Ok = "ok";

    /// <summary>
    /// Each dependency (<c>tables</c>, <c>queues</c>) → <see cref="Ok"/>, or why not ("unreachable: …", "no answer within
    /// …"); every check ends within <paramref name="timeout"/>.
    /// </summary>
    Task<IReadOnlyDictionary<string, string>> CheckAsync(TimeSpan timeout, CancellationToken cancellationToken);
}
