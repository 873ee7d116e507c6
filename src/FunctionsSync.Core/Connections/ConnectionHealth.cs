namespace FunctionsSync.Core.Connections;

public enum ConnectionHealth
{
    Active,

    /// <summary>The marketplace refused the credentials; the schedule skips the connection until they change.</summary>
    NeedsAttention,
}
