namespace FunctionsSync.Core.Leasing;

/// <param name="Lease">The lease when acquired.</param>
/// <param name="HeldBy">The current owner when someone else holds an unexpired lease.</param>
/// <param name="HeldUntil">When that lease expires.</param>
/// <param name="Renewed">The caller already held the lease (a run stepping page by page across calls).</param>
public sealed record LeaseAttempt(SyncLease? Lease, string? HeldBy, DateTimeOffset? HeldUntil, bool Renewed = false)
{
    public bool Acquired => Lease is not null;
}
