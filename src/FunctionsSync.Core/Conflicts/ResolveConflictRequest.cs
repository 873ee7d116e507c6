using FunctionsSync.Core.Api;


namespace FunctionsSync.Core.Conflicts;

public sealed class ResolveConflictRequest
{
    public ConflictResolution? Resolution { get; set; }
    public string? Note { get; set; }
}
