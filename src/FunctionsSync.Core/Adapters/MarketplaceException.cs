namespace FunctionsSync.Core.Adapters;

/// <summary>A marketplace call that failed in a way the run must report; the message is safe to show and log.</summary>
public sealed class MarketplaceException(MarketplaceErrorKind kind, string message, int? statusCode = null, Exception? inner = null)
    : Exception(message, inner)
{
    public MarketplaceErrorKind Kind { get; } = kind;

    public int? StatusCode { get; } = statusCode;
}
