namespace FunctionsSync.Simulator.Data;

/// <summary>What a simulated store holds. Prices are read from products, as marketplaces serve them.</summary>
public enum SimKind
{
    Orders,
    Products,
    Customers,
}
