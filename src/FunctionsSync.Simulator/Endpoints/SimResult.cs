using System.Text.Json.Nodes;

namespace FunctionsSync.Simulator.Endpoints;

/// <summary>A data endpoint's answer: a JSON body (200) or an error result.</summary>
internal sealed record SimResult(JsonNode? Body, IResult? Error)
{
    public static SimResult Ok(JsonNode body) => new(body, null);

    public static SimResult Fail(IResult error) => new(null, error);
}
