namespace FunctionsSync.Core.Records;

public sealed record CustomerRecord : CanonicalRecord
{
    public override EntityType EntityType => EntityType.Customers;

    public string? Email { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public int? OrdersCount { get; init; }
}
