using FunctionsSync.Core.Records;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.Core.Ingestion;

public sealed class IngestionDispatcher(IServiceProvider services) : IIngestionDispatcher
{
    public Task<IngestResult> IngestAsync(IngestContext context, IReadOnlyList<CanonicalRecord> records, CancellationToken cancellationToken) =>
        context.EntityType switch
        {
            EntityType.Orders => Ingest<OrderRecord>(context, records, cancellationToken),
            EntityType.Customers => Ingest<CustomerRecord>(context, records, cancellationToken),
            EntityType.Products => Ingest<ProductRecord>(context, records, cancellationToken),
            EntityType.Prices => Ingest<PriceRecord>(context, records, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(context), context.EntityType, "Unknown entity type."),
        };

    private Task<IngestResult> Ingest<TRecord>(IngestContext context, IReadOnlyList<CanonicalRecord> records, CancellationToken cancellationToken)
        where TRecord : CanonicalRecord
    {
        var typed = new List<TRecord>(records.Count);
        foreach (var record in records)
        {
            typed.Add(record as TRecord ?? throw new InvalidOperationException(
                $"Adapter returned a {record.GetType().Name} in a {context.EntityType.ToWire()} page."));
        }

        return services.GetRequiredService<IIngestionService<TRecord>>().IngestAsync(context, typed, cancellationToken);
    }
}
