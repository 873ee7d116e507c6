namespace FunctionsSync.Core.Runs;

public enum SyncMode
{
    /// <summary>Records changed since the cursor, minus a small overlap window for marketplace clock skew.</summary>
    Incremental,

    /// <summary>Everything, ignoring the cursor; still writes only what changed.</summary>
    Full,
}
