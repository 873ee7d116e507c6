namespace FunctionsSync.Core.Runs;

public enum EntityRunState
{
    Pending,
    Running,
    Done,

    /// <summary>The marketplace has no such data (e.g. Amazon products); nothing to sync.</summary>
    Unsupported,
}
