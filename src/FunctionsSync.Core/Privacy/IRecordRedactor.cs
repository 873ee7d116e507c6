using FunctionsSync.Core.Records;

namespace FunctionsSync.Core.Privacy;

/// <summary>Erases personal data from stored records: a point read and a conditional write per record.</summary>
public interface IRecordRedactor
{
    /// <summary>Deletes every stored record of one type of a connection (tombstones too), bucket by bucket; returns how many.</summary>
    Task<long> PurgeAsync(string connectionId, EntityType entityType, CancellationToken cancellationToken);

    /// <summary>Deletes the stored record (its row, versions and all); false when none was stored.</summary>
    Task<bool> EraseAsync(string connectionId, EntityType entityType, string externalId, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the stored record with <paramref name="redact"/> of it, a local change it held included (the local
    /// version is dropped: it held the same personal data); false when none was stored.
    /// </summary>
    Task<bool> RedactAsync(string connectionId, EntityType entityType, string externalId, Func<CanonicalRecord, CanonicalRecord> redact, CancellationToken cancellationToken);
}
