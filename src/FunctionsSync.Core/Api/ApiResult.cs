namespace FunctionsSync.Core.Api;

/// <summary>A handler's answer, independent of the host: status, JSON body, optional Location.</summary>
public sealed record ApiResult(int Status, object? Body, string? Location = null)
{
    public bool IsProblem => Body is ProblemBody;
}
