namespace FunctionsSync.Core.Conflicts;

/// <param name="ContinuationToken">Where the previous page stopped; null for the first page.</param>
public sealed record ConflictQuery(string? OrganizationId, string? ConnectionId, ConflictStatus? Status, int PageSize, string? ContinuationToken);
