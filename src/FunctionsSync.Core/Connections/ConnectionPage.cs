namespace FunctionsSync.Core.Connections;

/// <summary>One page of connections in index order (organization, then id); more follow while the token is set.</summary>
public sealed record ConnectionPage(IReadOnlyList<Connection> Items, string? ContinuationToken);
