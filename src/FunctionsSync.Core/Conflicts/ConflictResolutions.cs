namespace FunctionsSync.Core.Conflicts;

public static class ConflictResolutions
{
    public static string ToWire(this ConflictResolution resolution) => resolution switch
    {
        ConflictResolution.AcceptSource => "accept_source",
        ConflictResolution.KeepTarget => "keep_target",
        ConflictResolution.Retry => "retry",
        ConflictResolution.Skip => "skip",
        _ => throw new ArgumentOutOfRangeException(nameof(resolution), resolution, null),
    };
}
