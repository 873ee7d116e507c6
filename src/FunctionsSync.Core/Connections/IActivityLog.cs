namespace FunctionsSync.Core.Connections;

public interface IActivityLog
{
    Task AppendAsync(ActivityEntry entry, CancellationToken cancellationToken);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<ActivityEntry>> ListAsync(string connectionId, int take, CancellationToken cancellationToken);
}
