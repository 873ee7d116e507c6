using FunctionsSync.Core.Api;

namespace FunctionsSync.Core.Scheduling;

/// <summary>A connection a cycle left out, and why.</summary>
public sealed record SkippedConnection(string ConnectionId, string Name, SkipReason Reason);

/// <summary>Why a cycle left a connection out.</summary>
public enum SkipReason
{
    /// <summary>Disabled by an operator or after repeated failures.</summary>
    Disabled,

    /// <summary>Its credentials were refused: a person must renew them first.</summary>
    NeedsAttention,

    /// <summary>A run of it is in flight.</summary>
    Active,
}
