namespace FunctionsSync.Simulator.Data;

/// <summary>
/// Stateless, seeded randomness: every value is a hash of (seed, parts), so record N of a store is the same on every
/// machine and every call without keeping anything in memory.
/// </summary>
public readonly struct SimRandom(ulong state)
{
    public static SimRandom For(long seed, params ReadOnlySpan<long> parts)
    {
        var h = Mix((ulong)seed);
        foreach (var part in parts)
        {
            h = Mix(h ^ (ulong)part);
        }

        return new SimRandom(h);
    }

    public SimRandom Next(long salt) => new(Mix(state ^ (ulong)salt ^ 0x9E3779B97F4A7C15UL));

    public int Int(int minInclusive, int maxExclusive) => minInclusive + (int)(state % (ulong)(maxExclusive - minInclusive));

    public double Double() => (state >> 11) * (1.0 / (1UL << 53));

    public T Pick<T>(IReadOnlyList<T> items) => items[Int(0, items.Count)];

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
