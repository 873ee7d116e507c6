namespace FunctionsSync.Core.Adapters;

public enum MarketplaceErrorKind
{
    /// <summary>401/403: credentials refused. Not retried; the connection needs attention.</summary>
    Auth,

    /// <summary>429 that outlasted the retries.</summary>
    RateLimited,

    /// <summary>5xx, timeouts, connection failures that outlasted the retries.</summary>
    Transient,

    /// <summary>A response that is not what the marketplace documents (malformed JSON, missing envelope).</summary>
    BadResponse,

    /// <summary>The request itself was wrong (other 4xx), or the connection's settings are incomplete.</summary>
    BadRequest,

    /// <summary>
    /// The seller's authorization is gone: the marketplace answered a token refresh with <c>invalid_grant</c> (revoked,
    /// expired or already spent refresh token). As <see cref="Auth"/>, and the seller must authorize the app again.
    /// </summary>
    ReauthorizationRequired,
}
