namespace FunctionsSync.Core.Connections;

/// <summary>One marketplace account of one organization.</summary>
public sealed record Connection
{
    public required string Id { get; init; }
    public required string OrganizationId { get; init; }
    public required string Marketplace { get; init; }
    public required string ExternalStoreId { get; init; }
    public required string Name { get; init; }

    /// <summary>
    /// The SHA-256 (<see cref="ConnectionIds.HashSyncToken"/>) of the secret handed to the merchant for push imports:
    /// the token itself is shown once, at registration and at rotation, and never stored.
    /// </summary>
    public string SyncTokenHash { get; init; } = "";

    /// <summary>Marketplace credentials (tokens, keys). Never returned by the API nor logged.</summary>
    public IReadOnlyDictionary<string, string> Credentials { get; init; } = new Dictionary<string, string>();

    /// <summary>Adapter settings such as <c>baseUrl</c>.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    public bool Enabled { get; init; } = true;
    public int Priority { get; init; }
    public int IntervalMinutes { get; init; } = 15;
    public ConnectionHealth Health { get; init; } = ConnectionHealth.Active;
    public string? LastError { get; init; }

    /// <summary>Failed runs in a row; reset by a run that succeeds.</summary>
    public int ConsecutiveFailures { get; init; }

    /// <summary>Operator-facing flags: <c>failing</c> (warning threshold reached), <c>disabled_after_failures</c>.</summary>
    public IReadOnlyList<string> Flags { get; init; } = [];
    /// <summary>Since when the connection misses its freshness objective (<see cref="Settings.CommonSettings.FreshnessObjectiveMinutes"/>); null while it meets it.</summary>
    public DateTimeOffset? StaleSince { get; init; }

    /// <summary>Set when the connection was deleted: it is no longer scheduled nor listed, and its history stays.</summary>
    public DateTimeOffset? DeletedAt { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    public string? Setting(string key) => Settings.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    public string? Credential(string key) => Credentials.TryGetValue(key, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    /// <summary>Registering a deleted connection again brings it back, with its id, token and history, and the registration's credentials and settings.</summary>
    public Connection RestoredBy(ConnectionRegistration registration, DateTimeOffset now) =>
        this with { DeletedAt = null, Enabled = true, Credentials = registration.Credentials, Settings = registration.Settings ?? Settings, UpdatedAt = now };
}
