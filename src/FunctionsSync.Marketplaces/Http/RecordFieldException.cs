namespace FunctionsSync.Marketplaces.Http;

/// <summary>A record lacks a field the canonical shape needs, or holds a value that cannot be read.</summary>
public sealed class RecordFieldException(string field, string problem) : Exception($"{problem} field '{field}'")
{
    public string Field { get; } = field;
}
