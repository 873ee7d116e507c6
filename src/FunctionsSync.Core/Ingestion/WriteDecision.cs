namespace FunctionsSync.Core.Ingestion;

public enum WriteAction
{
    Insert,
    Replace,
    None,

    /// <summary>Nothing is written; the record becomes a <c>data_mismatch</c> conflict.</summary>
    Conflict,
}

/// <param name="Action">The storage operation to perform.</param>
/// <param name="CountAs">How the record counts in the run's counters.</param>
public sealed record WriteDecision(WriteAction Action, RecordChange CountAs);
