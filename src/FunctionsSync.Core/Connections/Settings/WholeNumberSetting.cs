using System.Globalization;

namespace FunctionsSync.Core.Connections.Settings;

/// <summary>A whole number in an inclusive range; absent, it reads as null.</summary>
public sealed record WholeNumberSetting(string Name, int Min, int Max)
    : ConnectionSetting<int?>(Name, $"A whole number from {Min.ToString(CultureInfo.InvariantCulture)} to {Max.ToString(CultureInfo.InvariantCulture)}.", null)
{
    public override bool Accepts(string raw) => Parse(raw) is { } value && value >= Min && value <= Max;

    protected override bool TryRead(string raw, out int? value)
    {
        value = Parse(raw) is { } parsed ? Math.Clamp(parsed, Min, Max) : null;
        return value is not null;
    }

    private static int? Parse(string raw) => int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
