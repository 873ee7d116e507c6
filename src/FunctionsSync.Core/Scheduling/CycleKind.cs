namespace FunctionsSync.Core.Scheduling;

/// <summary>What a cycle syncs: the connections due (incremental), or every enabled connection in full mode.</summary>
public enum CycleKind
{
    Scheduled,
    Full,
}

public static class CycleKinds
{
    /// <summary>As cycle ids start and cycle summaries name it: <c>scheduled</c>, <c>full</c>.</summary>
    public static string WireName(this CycleKind kind) => kind == CycleKind.Full ? "full" : "scheduled";
}
