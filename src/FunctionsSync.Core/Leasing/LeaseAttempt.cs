namespace FunctionsSync.Core.Leasing;

/// <param name="Lease">The lease when acquired.</param>
/// <param name="HeldBy">The current owner when someone else holds an unexpired lease.</param>
/// <param name="HeldUntil">When that lease expires.</param>
public sealed record LeaseAttempt(SyncLease? Lease, string? HeldBy, DateTimeOffset? HeldUntil)
{
    public bool Acquired => Lease is not null;
}
