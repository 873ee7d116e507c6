namespace FunctionsSync.Core.Resets;

/// <summary>The body of <c>POST /api/connections/{id}/reset</c>.</summary>
public sealed class ResetCursorsRequest
{
    /// <summary>The feeds to rewind; empty or absent: every feed the marketplace has.</summary>
    public List<string>? EntityTypes { get; set; }
}
