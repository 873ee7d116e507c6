namespace FunctionsSync.Core.Access;

/// <summary>An organization key as it may be listed: its id, never the secret.</summary>
/// <param name="LastUsedAt">Recorded at most once a minute per key.</param>
public sealed record ApiKeyInfo(string Id, string OrganizationId, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt);

/// <summary>A key just issued: the secret, shown this once, and the id that lists and revokes it.</summary>
public sealed record IssuedKey(string Id, string Key);
