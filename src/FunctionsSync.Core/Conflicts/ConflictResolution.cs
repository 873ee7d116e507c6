namespace FunctionsSync.Core.Conflicts;

public enum ConflictResolution
{
    /// <summary>The marketplace's version replaces the stored one.</summary>
    AcceptSource,

    /// <summary>The stored version stays; this marketplace version is not applied, now or when it is synced again.</summary>
    KeepTarget,

    /// <summary>Try again: a record is applied if the local change is gone; a connection problem gets a new run.</summary>
    Retry,

    /// <summary>Close it without changing anything; the same marketplace version does not reopen it.</summary>
    Skip,
}
