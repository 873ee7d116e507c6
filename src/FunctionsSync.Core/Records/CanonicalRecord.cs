using System.Text.Json.Serialization;

namespace FunctionsSync.Core.Records;

/// <summary>
/// A marketplace record mapped to FunctionsSync's own shape. Adapters produce these; ingestion stores them.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$type")]
[JsonDerivedType(typeof(OrderRecord), "order")]
[JsonDerivedType(typeof(CustomerRecord), "customer")]
[JsonDerivedType(typeof(ProductRecord), "product")]
[JsonDerivedType(typeof(PriceRecord), "price")]
public abstract record CanonicalRecord
{
    /// <summary>The marketplace's id of the record, unique per connection and entity type.</summary>
    public required string ExternalId { get; init; }

    /// <summary>When the marketplace last changed the record; drives cursors, not the content hash.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    [JsonIgnore]
    public abstract EntityType EntityType { get; }
}
