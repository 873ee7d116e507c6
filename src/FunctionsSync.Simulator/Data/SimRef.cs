namespace FunctionsSync.Simulator.Data;

/// <summary>A record's place in a store's feed: its index, current version (0 = as seeded) and change time.</summary>
public readonly record struct SimRef(int Index, int Version, DateTimeOffset UpdatedAt);
