using FunctionsSync.Core.Conflicts;

namespace FunctionsSync.Core.Api;

public sealed class ResolveConflictRequest
{
    public ConflictResolution? Resolution { get; set; }
    public string? Note { get; set; }
}
