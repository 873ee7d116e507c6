using System.Text.RegularExpressions;

namespace FunctionsSync.Core.Connections.Settings;

/// <summary>A string matching a pattern (the whole value); absent, it reads as <see cref="ConnectionSetting{T}.Default"/>.</summary>
public sealed record TextSetting(string Name, string Rule, Regex Pattern, string? Default = null) : ConnectionSetting<string?>(Name, Rule, Default)
{
    public override bool Accepts(string raw) => Pattern.IsMatch(raw);

    protected override bool TryRead(string raw, out string? value)
    {
        value = raw;
        return Accepts(raw);
    }
}
