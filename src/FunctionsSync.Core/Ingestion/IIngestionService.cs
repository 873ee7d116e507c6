using FunctionsSync.Core.Records;

namespace FunctionsSync.Core.Ingestion;

/// <summary>
/// Takes one page of canonical records of one type into the central store. One per entity type
/// (<c>IIngestionService&lt;OrderRecord&gt;</c>, ...), so a deployment can send, say, orders to an ERP instead.
/// Must be idempotent: the same page ingested twice in the same run yields the same counts and writes nothing new.
/// </summary>
public interface IIngestionService<TRecord> where TRecord : CanonicalRecord
{
    Task<IngestResult> IngestAsync(IngestContext context, IReadOnlyList<TRecord> records, CancellationToken cancellationToken);
}
