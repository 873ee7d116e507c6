using FunctionsSync.Core.Access;
using FunctionsSync.Core.Api;

namespace FunctionsSync.Core.Connections;

/// <summary>
/// The one answer to "which connection does this caller mean": a well-formed id of a connection that exists, is not
/// deleted and belongs to an organization the caller sees. Every handler taking a connection id asks here (one point
/// read), so none asks another handler and none tells an organization key that another organization's id exists.
/// </summary>
public sealed class ConnectionAccess(IConnectionStore connections)
{
    public async Task<Connection?> FindAsync(ApiCaller caller, string connectionId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(connectionId) || connectionId.Length > 64 || !connectionId.All(char.IsAsciiLetterOrDigit))
        {
            return null;
        }

        var connection = await connections.GetAsync(connectionId, cancellationToken);
        return connection is not null && connection.DeletedAt is null && caller.CanSee(connection.OrganizationId) ? connection : null;
    }

    /// <summary>The answer for a connection that does not exist or that the caller may not see (the same 404 for both).</summary>
    public static ApiResult NotFound(string connectionId) => Problems.NotFound($"Connection {connectionId} does not exist.");
}
