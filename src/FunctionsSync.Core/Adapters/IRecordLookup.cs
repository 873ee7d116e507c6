using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Records;

namespace FunctionsSync.Core.Adapters;

/// <summary>
/// An adapter that can ask the marketplace about one record by its id, so a deletion notification is checked against
/// the marketplace before the record is tombstoned (the notification itself is never trusted as data).
/// </summary>
public interface IRecordLookup
{
    /// <summary>Whether the marketplace still holds the record; false when it answers that it does not (deleted, or in the trash).</summary>
    Task<bool> ExistsAsync(Connection connection, EntityType entityType, string externalId, CancellationToken cancellationToken);
}
