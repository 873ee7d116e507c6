namespace FunctionsSync.Core.Runs;

/// <summary>An operator's request to a run in flight; the runner honours it between pages.</summary>
public enum RunControl
{
    Pause,
    Cancel,
}
