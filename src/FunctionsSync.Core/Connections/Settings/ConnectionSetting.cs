namespace FunctionsSync.Core.Connections.Settings;

/// <summary>
/// One key of a connection's settings map that an adapter reads: the rule a value must keep, checked at registration
/// and on PATCH, and the one parse the sync uses, so what is accepted is what is read. Settings are strings; numbers
/// parse in the invariant culture; a blank value counts as absent.
/// </summary>
public abstract record ConnectionSetting(string Name, string Rule)
{
    /// <summary>Other names of the same setting, read when <see cref="Name"/> is absent (<c>batchSize</c> for <c>pageSize</c>).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    public IEnumerable<string> Keys => [Name, .. Aliases];

    /// <summary>Whether a value given at registration or on PATCH keeps the rule.</summary>
    public abstract bool Accepts(string raw);

    /// <summary>The value under the setting's name, or else under its first alias present; null where none is given.</summary>
    public string? RawIn(IReadOnlyDictionary<string, string>? settings)
    {
        foreach (var key in Keys)
        {
            if (settings?.GetValueOrDefault(key) is { } raw && !string.IsNullOrWhiteSpace(raw))
            {
                return raw;
            }
        }

        return null;
    }
}

/// <summary>A setting read as a <typeparamref name="T"/>, with the value a connection without it gets.</summary>
public abstract record ConnectionSetting<T>(string Name, string Rule, T Default) : ConnectionSetting(Name, Rule)
{
    /// <summary>
    /// The connection's value, or <see cref="ConnectionSetting{T}.Default"/>. A value stored under an older rule that
    /// this one no longer accepts reads as close to it as the setting allows (a number is clamped into range), or as the
    /// default: a run does not fail on a setting registration would now refuse.
    /// </summary>
    public T Of(Connection connection) => RawIn(connection.Settings) is { } raw && TryRead(raw, out var value) ? value : Default;

    /// <summary>The lenient read behind <see cref="Of"/>; <see cref="ConnectionSetting.Accepts"/> is the strict one.</summary>
    protected abstract bool TryRead(string raw, out T value);
}
