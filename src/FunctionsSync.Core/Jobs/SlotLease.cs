namespace FunctionsSync.Core.Jobs;

public sealed record SlotLease(string OrganizationId, int Slot, string Owner, DateTimeOffset ExpiresAt, string ETag);
