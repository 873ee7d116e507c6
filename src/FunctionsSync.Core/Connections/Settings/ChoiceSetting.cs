namespace FunctionsSync.Core.Connections.Settings;

/// <summary>One of a fixed set of wire values (case-sensitive), each read as a <typeparamref name="T"/>.</summary>
public sealed record ChoiceSetting<T>(string Name, IReadOnlyDictionary<string, T> Choices, T Default)
    : ConnectionSetting<T>(Name, $"One of: {string.Join(", ", Choices.Keys)}.", Default)
{
    public override bool Accepts(string raw) => Choices.ContainsKey(raw);

    protected override bool TryRead(string raw, out T value) => Choices.TryGetValue(raw, out value!);
}
