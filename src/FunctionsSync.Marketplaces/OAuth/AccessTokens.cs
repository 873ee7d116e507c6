using System.Collections.Concurrent;
using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Marketplaces.OAuth;

/// <summary>
/// A valid access token for every marketplace call of a connection whose tokens expire. The token in use is refreshed
/// once it has less than <see cref="OAuthOptions.RefreshMargin"/> left, or when the marketplace refused it. One refresh
/// at a time per connection across every runner and replica: a refresher first claims the connection's tokens with an
/// ETag-conditional write (<see cref="RefreshClaim"/>); the others wait for its result. A refresh spends the refresh
/// token, so the rotated tokens are written before the new access token is used: a refresher that cannot write them
/// uses nothing. A process that dies between the marketplace's answer and that write leaves the old refresh token
/// stored, which the next refresher sends again: Shopify honours it until its successor is used, Amazon's LWA refresh
/// tokens do not rotate, and Etsy answers <c>invalid_grant</c>, which ends as for a revoked authorization.
/// </summary>
public sealed partial class AccessTokens(
    IConnectionStore connections,
    TokenEndpoint endpoint,
    IOptions<OAuthOptions> options,
    TimeProvider time,
    ILogger<AccessTokens> logger)
{
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset ExpiresAt)> cache = new();

    /// <summary>
    /// The connection with a valid access token among its credentials; as given when it has no refresh token.
    /// <paramref name="refused"/>: the access token the marketplace just refused (refreshed even if it looks fresh).
    /// </summary>
    public async Task<Connection> CurrentAsync(Connection connection, string? refused, CancellationToken cancellationToken)
    {
        if (OAuthTokenState.From(connection) is null)
        {
            return connection;
        }

        var o = options.Value;
        if (refused is null && cache.TryGetValue(connection.Id, out var cached) && cached.ExpiresAt - o.RefreshMargin > time.GetUtcNow())
        {
            return With(connection, cached.Token);
        }

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var now = time.GetUtcNow();
            var stored = await connections.GetAsync(connection.Id, cancellationToken)
                ?? throw new MarketplaceException(MarketplaceErrorKind.BadRequest, $"{connection.Marketplace}: the connection was deleted");
            if (OAuthTokenState.From(stored) is not { } state)
            {
                return stored;
            }

            if (Usable(state, now, refused))
            {
                cache[connection.Id] = (state.AccessToken!, state.AccessTokenExpiresAt!.Value);
                return With(connection, state.AccessToken!);
            }

            if (state.Claim?.IsHeld(now) == true)
            {
                // Another runner or replica is refreshing: its tokens will be stored in a moment.
                await Task.Delay(o.ClaimPollInterval, time, cancellationToken);
                continue;
            }

            var owner = Guid.NewGuid().ToString("N");
            var claimed = await connections.UpdateAsync(
                connection.Id,
                c => OAuthTokenState.From(c) is { } s && !Usable(s, now, refused) && s.Claim?.IsHeld(now) != true
                    ? (s with { Claim = new RefreshClaim(owner, now + o.ClaimDuration) }).ApplyTo(c)
                    : null,
                cancellationToken);
            if (claimed is not null && OAuthTokenState.From(claimed) is { Claim.Owner: var holder } mine && holder == owner)
            {
                return With(connection, await RefreshAsync(claimed, mine, owner, cancellationToken));
            }
        }
    }

    /// <summary>Refreshes under our claim and stores the outcome: new tokens, a revoked authorization, or a failure.</summary>
    private async Task<string> RefreshAsync(Connection connection, OAuthTokenState state, string owner, CancellationToken cancellationToken)
    {
        var client = options.Value.Clients.GetValueOrDefault(connection.Marketplace) ?? new OAuthClientOptions();
        TokenAnswer answer;
        try
        {
            answer = await endpoint.RefreshAsync(connection, client, state.RefreshToken, cancellationToken);
        }
        catch (MarketplaceException ex)
        {
            var revoked = ex.Kind == MarketplaceErrorKind.ReauthorizationRequired;
            LogRefreshFailed(connection.Id, connection.Marketplace, ex.Message);
            await connections.UpdateAsync(
                connection.Id,
                c => OAuthTokenState.From(c) is { } s && s.Claim?.Owner == owner
                    ? (s with { Claim = null, RefreshFailures = s.RefreshFailures + 1 }).ApplyTo(c) with
                    {
                        Health = revoked ? ConnectionHealth.NeedsAttention : c.Health,
                        LastError = revoked ? ex.Message : c.LastError,
                    }
                    : null,
                CancellationToken.None);
            throw;
        }
        catch
        {
            // Cancelled or a bug: let the claim go so another refresher need not wait for it to lapse.
            await connections.UpdateAsync(connection.Id, c => OAuthTokenState.From(c) is { } s && s.Claim?.Owner == owner ? (s with { Claim = null }).ApplyTo(c) : null, CancellationToken.None);
            throw;
        }

        var now = time.GetUtcNow();
        var rotated = answer.RefreshToken is { } r && r != state.RefreshToken;
        var refreshed = state with
        {
            RefreshToken = answer.RefreshToken ?? state.RefreshToken,
            AccessToken = answer.AccessToken,
            AccessTokenExpiresAt = now + answer.ExpiresIn,
            RefreshTokenIssuedAt = rotated || state.RefreshTokenIssuedAt is null ? now : state.RefreshTokenIssuedAt,
            RefreshedAt = now,
            Claim = null,
            RefreshFailures = 0,
        };

        // Written before the token is used: a spent refresh token must never be all we have.
        await connections.UpdateAsync(
            connection.Id,
            c => OAuthTokenState.From(c) is { } s && s.RefreshToken == state.RefreshToken ? refreshed.ApplyTo(c) : null,
            cancellationToken);
        cache[connection.Id] = (answer.AccessToken, refreshed.AccessTokenExpiresAt!.Value);
        LogRefreshed(connection.Id, connection.Marketplace, rotated, answer.ExpiresIn.TotalSeconds);
        return answer.AccessToken;
    }

    private bool Usable(OAuthTokenState state, DateTimeOffset now, string? refused) =>
        state.IsFresh(now, options.Value.RefreshMargin) && state.AccessToken != refused;

    private static Connection With(Connection connection, string accessToken) =>
        connection with { Credentials = new Dictionary<string, string>(connection.Credentials) { [OAuthTokenState.AccessTokenKey] = accessToken } };

    [LoggerMessage(4120, LogLevel.Information, "Connection {ConnectionId}: {Marketplace} access token refreshed (refresh token rotated: {Rotated}; good for {Seconds:0} s)")]
    private partial void LogRefreshed(string connectionId, string marketplace, bool rotated, double seconds);

    [LoggerMessage(4121, LogLevel.Warning, "Connection {ConnectionId}: the {Marketplace} access token could not be refreshed: {Reason}")]
    private partial void LogRefreshFailed(string connectionId, string marketplace, string reason);
}
