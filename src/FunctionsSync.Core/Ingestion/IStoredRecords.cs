using FunctionsSync.Core.Records;

namespace FunctionsSync.Core.Ingestion;

/// <summary>
/// Single stored records: read, changed locally (by a downstream system), and settled after a conflict.
/// A local change keeps the hash of the marketplace version it was based on, which is how a later sync tells
/// "only we changed it" (keep ours) from "both changed it" (a <c>data_mismatch</c> conflict).
/// </summary>
public interface IStoredRecords
{
    Task<StoredRecord?> GetAsync(string connectionId, EntityType entityType, string externalId, CancellationToken cancellationToken);

    /// <summary>Stores a local change of an existing record; false when there is no such record.</summary>
    Task<bool> EditLocallyAsync(string connectionId, CanonicalRecord record, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the marketplace's version <paramref name="source"/>, unless the record holds a local change and
    /// <paramref name="overrideLocal"/> is false (then nothing changes and false is returned).
    /// </summary>
    Task<bool> ApplySourceAsync(string connectionId, CanonicalRecord source, bool overrideLocal, CancellationToken cancellationToken);

    /// <summary>Keeps the stored data but records <paramref name="source"/> as seen, so syncing it again changes nothing.</summary>
    Task AcknowledgeSourceAsync(string connectionId, CanonicalRecord source, CancellationToken cancellationToken);
}
