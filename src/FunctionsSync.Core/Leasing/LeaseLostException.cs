namespace FunctionsSync.Core.Leasing;

/// <summary>Another runner took the lease (ours expired); this runner must stop without writing.</summary>
public sealed class LeaseLostException(string connectionId)
    : Exception($"The lease on connection {connectionId} was taken over by another runner.")
{
    public string ConnectionId { get; } = connectionId;
}
