namespace FunctionsSync.Core.Runs;

public enum EntityRunState
{
    Pending,
    Running,
    Done,

    /// <summary>The marketplace has no such data (e.g. Amazon products); nothing to sync.</summary>
    Unsupported,

    /// <summary>The run failed while reading this feed.</summary>
    Failed,

    /// <summary>The run was cancelled while reading this feed.</summary>
    Cancelled,

    /// <summary>The run ended (failed or cancelled) before it read this feed.</summary>
    NotRead,
}
