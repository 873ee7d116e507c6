using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Conflicts;

namespace FunctionsSync.Core.Sync;

/// <summary>
/// How a run that threw ends, from the exception: the error it records, its kind, the connection-level conflict a
/// person must resolve (credentials refused; retries spent on rate limits or outages), whether the connection then
/// needs attention, and the exception itself when it was not the marketplace's (a bug: logged with its stack).
/// </summary>
internal sealed record RunFailure(string Error, MarketplaceErrorKind? Kind, ConflictType? Conflict, bool NeedsAttention, Exception? Unexpected)
{
    /// <param name="where">What was being read: the marketplace and the entity type.</param>
    public static RunFailure From(Exception exception, string where) => exception switch
    {
        MarketplaceException ex => new(
            $"{where}: {ex.Message}",
            ex.Kind,
            ex.Kind switch
            {
                MarketplaceErrorKind.Auth or MarketplaceErrorKind.ReauthorizationRequired => ConflictType.AuthError,
                MarketplaceErrorKind.RateLimited or MarketplaceErrorKind.Transient => ConflictType.RetryExhausted,
                _ => null,
            },
            NeedsAttention: ex.Kind is MarketplaceErrorKind.Auth or MarketplaceErrorKind.ReauthorizationRequired,
            Unexpected: null),
        _ => new($"Internal error: {exception.Message}", null, null, NeedsAttention: false, Unexpected: exception),
    };
}
