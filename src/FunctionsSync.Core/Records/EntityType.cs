namespace FunctionsSync.Core.Records;

/// <summary>The kinds of data a connection syncs. Declaration order is the priority order within a run.</summary>
public enum EntityType
{
    Orders,
    Customers,
    Products,
    Prices,
}
