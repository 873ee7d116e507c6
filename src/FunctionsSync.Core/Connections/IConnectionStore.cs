namespace FunctionsSync.Core.Connections;

public interface IConnectionStore
{
    /// <summary>Creates the connection, or returns the existing one (same id and sync token) with <c>Created = false</c>.</summary>
    Task<ConnectionRegistrationResult> RegisterAsync(ConnectionRegistration registration, CancellationToken cancellationToken);

    Task<Connection?> GetAsync(string connectionId, CancellationToken cancellationToken);

    /// <summary>The connection a receipt import's sync token belongs to.</summary>
    Task<Connection?> FindBySyncTokenAsync(string syncToken, CancellationToken cancellationToken);

    /// <summary>
    /// The live connections to one store of a marketplace, of every organization (a key-range read of an index written at
    /// registration): how a notification that names a store, not a connection (Amazon's <c>SellerId</c>), finds its
    /// connections. A connection registered before the index existed is found once it is registered again (idempotent).
    /// </summary>
    Task<IReadOnlyList<Connection>> ListByStoreAsync(string marketplace, string externalStoreId, CancellationToken cancellationToken);

    /// <summary>Every connection of the organization (of all, given none), deleted ones included: for passes over all of them.</summary>
    Task<IReadOnlyList<Connection>> ListAsync(string? organizationId, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="pageSize"/> index entries of the organization (of all, given none) from the token, as
    /// their connections (deleted ones included; an entry of a connection that is gone is skipped, so a page may be short).
    /// </summary>
    /// <exception cref="FormatException">The token is not one this store handed out.</exception>
    Task<ConnectionPage> ListPageAsync(string? organizationId, int pageSize, string? continuationToken, CancellationToken cancellationToken);

    /// <summary>
    /// Changes the connection as stored now: <paramref name="change"/> is applied to the current row and written only
    /// if nobody wrote it meanwhile (its ETag); otherwise the row is read again and the change re-applied, so a PATCH
    /// and a run's end each keep the other's fields. <paramref name="change"/> returning null writes nothing.
    /// </summary>
    /// <returns>The connection as written, or as it is when nothing was written; null when it does not exist.</returns>
    Task<Connection?> UpdateAsync(string connectionId, Func<Connection, Connection?> change, CancellationToken cancellationToken);
}
