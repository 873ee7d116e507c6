namespace FunctionsSync.Core.Connections;

public interface IConnectionStore
{
    /// <summary>Creates the connection, or returns the existing one (same id and sync token) with <c>Created = false</c>.</summary>
    Task<ConnectionRegistrationResult> RegisterAsync(ConnectionRegistration registration, CancellationToken cancellationToken);

    Task<Connection?> GetAsync(string connectionId, CancellationToken cancellationToken);

    /// <summary>The connection a receipt import's sync token belongs to.</summary>
    Task<Connection?> FindBySyncTokenAsync(string syncToken, CancellationToken cancellationToken);


    Task<IReadOnlyList<Connection>> ListAsync(string? organizationId, CancellationToken cancellationToken);

    /// <summary>Writes the connection unconditionally (last writer wins; connection rows change rarely).</summary>
    Task UpdateAsync(Connection connection, CancellationToken cancellationToken);
}
