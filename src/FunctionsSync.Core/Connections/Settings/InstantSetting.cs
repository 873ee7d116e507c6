using System.Globalization;

namespace FunctionsSync.Core.Connections.Settings;

/// <summary>An ISO 8601 instant (UTC where it names no offset); absent, it reads as null.</summary>
public sealed record InstantSetting(string Name) : ConnectionSetting<DateTimeOffset?>(Name, "An ISO 8601 instant, e.g. 2024-01-01T00:00:00Z.", null)
{
    public override bool Accepts(string raw) => TryRead(raw, out _);

    protected override bool TryRead(string raw, out DateTimeOffset? value)
    {
        value = DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;
        return value is not null;
    }
}
