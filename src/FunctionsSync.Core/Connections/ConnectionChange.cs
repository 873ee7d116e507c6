namespace FunctionsSync.Core.Connections;

/// <summary>An operator's change of a connection (<c>PATCH</c>): only the fields it names change.</summary>
public sealed record ConnectionChange(
    bool? Enabled,
    int? Priority,
    int? IntervalMinutes,
    IReadOnlyDictionary<string, string>? Credentials,
    IReadOnlyDictionary<string, string>? Settings)
{
    public const int MinPriority = -100;
    public const int MaxPriority = 100;

    /// <summary>A week: the longest a connection's interval can be.</summary>
    public const int MaxIntervalMinutes = 10_080;

    /// <summary>The fields out of range, each with why (credentials and settings are checked by <see cref="ConnectionValidation"/>).</summary>
    public IEnumerable<(string Field, string[] Message)> RangeErrors()
    {
        if (Priority is < MinPriority or > MaxPriority)
        {
            yield return ("priority", [$"Must be between {MinPriority} and {MaxPriority}."]);
        }

        if (IntervalMinutes is < 1 or > MaxIntervalMinutes)
        {
            yield return ("intervalMinutes", [$"Must be between 1 and {MaxIntervalMinutes} (a week)."]);
        }
    }

    /// <summary>The connection with this change applied; null for a deleted one (it is not changed).</summary>
    public Connection? ApplyTo(Connection connection, DateTimeOffset now) => connection.DeletedAt is not null ? null : connection with
    {
        Enabled = Enabled ?? connection.Enabled,
        Priority = Priority ?? connection.Priority,
        IntervalMinutes = IntervalMinutes ?? connection.IntervalMinutes,
        Credentials = Credentials ?? connection.Credentials,
        Settings = Settings ?? connection.Settings,
        // New credentials are the operator's answer to a refusal: schedule the connection again.
        Health = Credentials is not null ? ConnectionHealth.Active : connection.Health,
        LastError = Credentials is not null ? null : connection.LastError,
        UpdatedAt = now,
    };
}
