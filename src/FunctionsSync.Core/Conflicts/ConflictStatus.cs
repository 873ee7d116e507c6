namespace FunctionsSync.Core.Conflicts;

public enum ConflictStatus
{
    /// <summary>Waits for a person.</summary>
    Open,

    /// <summary>The automatic policy retries it at <see cref="Conflict.NextAttemptAt"/>.</summary>
    Retrying,
    Resolved,
    Skipped,
}
