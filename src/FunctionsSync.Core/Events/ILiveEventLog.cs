namespace FunctionsSync.Core.Events;

/// <summary>Where live events are kept for every replica's streams (a table of hour partitions per organization and for all).</summary>
public interface ILiveEventLog
{
    Task AppendAsync(IReadOnlyList<LiveEvent> events, CancellationToken cancellationToken);

    /// <summary>
    /// Events after <paramref name="afterId"/> up to <paramref name="until"/>, oldest first, of one organization (null: all):
    /// key-range reads of the hour partitions in between, at most <paramref name="take"/>.
    /// </summary>
    Task<IReadOnlyList<LiveEvent>> ReadAfterAsync(string? organizationId, string afterId, DateTimeOffset until, int take, CancellationToken cancellationToken);
}
