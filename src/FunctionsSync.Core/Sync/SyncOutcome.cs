using FunctionsSync.Core.Runs;

namespace FunctionsSync.Core.Sync;

public enum SyncOutcomeKind
{
    /// <summary>The run reached a final status (succeeded, partial or failed).</summary>
    Finished,

    /// <summary>Another runner holds the connection's lease; nothing was done.</summary>
    LeaseHeld,

    /// <summary>Stopped between pages by cancellation; the next runner resumes it.</summary>
    Interrupted,

    /// <summary>The lease was taken over mid-run; the new holder carries on.</summary>
    LeaseLost,

    ConnectionNotFound,

    /// <summary>Paused by an operator between pages; the lease is free and the run waits for resume.</summary>
    Paused,

    /// <summary>
    /// Storage became unreachable under the run; once it answered again the run was marked interrupted at its last
    /// checkpoint and its lease freed. Resume it at once.
    /// </summary>
    StorageInterrupted,

    /// <summary>Stopped after the requested number of pages with work left; the lease stays with the caller's owner.</summary>
    InProgress,

    /// <summary>
    /// A backfill stepped aside between pages for a run on its connection's main lane: left interrupted at its last
    /// checkpoint with its lane's lease free; step it again after <see cref="SyncOptions.BackfillYieldDelay"/>.
    /// </summary>
    Yielded,
}

public sealed record SyncOutcome(SyncOutcomeKind Kind, SyncRun? Run, string? Message = null);
