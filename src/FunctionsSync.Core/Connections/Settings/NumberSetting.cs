using System.Globalization;

namespace FunctionsSync.Core.Connections.Settings;

/// <summary>A number in an inclusive range; absent, it reads as null (its default is the caller's: an option, a shape).</summary>
public sealed record NumberSetting(string Name, double Min, double Max)
    : ConnectionSetting<double?>(Name, $"A number from {Text(Min)} to {Text(Max)}.", null)
{
    public override bool Accepts(string raw) => Parse(raw) is { } value && value >= Min && value <= Max;

    protected override bool TryRead(string raw, out double? value)
    {
        value = Parse(raw) is { } parsed ? Math.Clamp(parsed, Min, Max) : null;
        return value is not null;
    }

    private static double? Parse(string raw) =>
        double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);
}
