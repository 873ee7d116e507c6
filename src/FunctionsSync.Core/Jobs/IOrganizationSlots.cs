namespace FunctionsSync.Core.Jobs;

/// <summary>
/// The per-organization concurrency cap across replicas: a fixed number of slot rows per organization, each taken
/// with an ETag-conditional write and an expiry (so a crashed replica's slot frees itself).
/// </summary>
public interface IOrganizationSlots
{
    Task<SlotLease?> TryTakeAsync(string organizationId, int capacity, string owner, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Extends the slot; false when it was lost (expired and taken).</summary>
    Task<SlotLease?> RenewAsync(SlotLease slot, TimeSpan duration, CancellationToken cancellationToken);

    Task ReleaseAsync(SlotLease slot, CancellationToken cancellationToken);

    Task<int> CountBusyAsync(string organizationId, CancellationToken cancellationToken);
}
