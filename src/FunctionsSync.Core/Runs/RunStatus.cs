namespace FunctionsSync.Core.Runs;

public enum RunStatus
{
    Queued,
    Running,
    Paused,

    /// <summary>Stopped between pages (host shutdown, lost worker); the next runner resumes it from its last saved page.</summary>
    Interrupted,
    Succeeded,

    /// <summary>Finished, but some records were rejected.</summary>
    Partial,
    Failed,
    Cancelled,
}
