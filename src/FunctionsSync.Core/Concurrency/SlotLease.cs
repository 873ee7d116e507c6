namespace FunctionsSync.Core.Concurrency;

public sealed record SlotLease(string OrganizationId, int Slot, string Owner, DateTimeOffset ExpiresAt, string ETag);
