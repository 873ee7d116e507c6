namespace FunctionsSync.Core.Api;

/// <summary>RFC 9457 problem details.</summary>
public sealed record ProblemBody(string Type, string Title, int Status, string? Detail, IReadOnlyDictionary<string, string[]>? Errors = null);
