using FunctionsSync.Core.Records;

namespace FunctionsSync.Core.Ingestion;

/// <summary>Routes a page of records to the ingestion service of its entity type.</summary>
public interface IIngestionDispatcher
{
    Task<IngestResult> IngestAsync(IngestContext context, IReadOnlyList<CanonicalRecord> records, CancellationToken cancellationToken);
}
