using System.Text.Json;

namespace FunctionsSync.Bench;

/// <summary>One printed figure: its value next to the reference measured in the same run, and the target.</summary>
internal sealed record Figure(string Name, double Value, object Reference, string Target, object? Detail = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public void Print() => Console.WriteLine(JsonSerializer.Serialize(new { name = Name, value = Math.Round(Value, 3), reference = Reference, target = Target, detail = Detail }, Json));
}
