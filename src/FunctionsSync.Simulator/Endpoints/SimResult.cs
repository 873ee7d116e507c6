using System.Text.Json.Nodes;

namespace FunctionsSync.Simulator.Endpoints;

/// <summary>A data endpoint's answer: a JSON body (200, or 202 for an accepted request) or an error result.</summary>
internal sealed record SimResult(JsonNode? Body, IResult? Error, int Status = StatusCodes.Status200OK)
{
    public static SimResult Ok(JsonNode body) => new(body, null);

    public static SimResult Accepted(JsonNode body) => new(body, null, StatusCodes.Status202Accepted);

    public static SimResult Fail(IResult error) => new(null, error);

    /// <summary>An answer written as it goes (MediPim's JSON Lines stream), served as it is.</summary>
    public static SimResult Streamed(IResult stream) => new(null, stream);
}
