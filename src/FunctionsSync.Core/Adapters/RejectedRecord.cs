namespace FunctionsSync.Core.Adapters;

/// <param name="ExternalId">The record's id, when it could be read.</param>
/// <param name="UpdatedAt">The record's change time, when it could be read; bounds how far the cursor may move.</param>
/// <param name="Reason">Why the record was rejected, naming the field.</param>
public sealed record RejectedRecord(string? ExternalId, DateTimeOffset? UpdatedAt, string Reason);
