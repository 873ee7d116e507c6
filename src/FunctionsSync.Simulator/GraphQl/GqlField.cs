namespace FunctionsSync.Simulator.GraphQl;

/// <summary>
/// One field of a GraphQL selection: its name, its arguments (variables already substituted: strings, longs, booleans,
/// enum names as strings, null), its own selection, or an inline fragment (<see cref="OnType"/>).
/// </summary>
public sealed record GqlField(string Name, IReadOnlyDictionary<string, object?> Arguments, IReadOnlyList<GqlField> Selection, string? OnType = null)
{
    public object? Argument(string name) => Arguments.GetValueOrDefault(name);

    public IEnumerable<GqlField> Fields(string typeName) =>
        Selection.SelectMany(f => f.OnType is null ? [f] : f.OnType == typeName ? f.Selection : []);
}

/// <summary>A parsed operation: <c>query</c> or <c>mutation</c>, and its root fields.</summary>
public sealed record GqlOperation(bool IsMutation, IReadOnlyList<GqlField> Fields);

public sealed class GqlException(string message) : Exception(message);
