using FunctionsSync.Core.Conflicts;
using FunctionsSync.Core.Webhooks;

namespace FunctionsSync.Core.Privacy;

/// <summary>A redaction's step on conflicts: the marketplace versions they kept (a record's fields) are dropped.</summary>
internal static class ConflictSources
{
    /// <returns>How many of <paramref name="conflicts"/> kept a version, now dropped.</returns>
    public static async Task<int> DropAsync(IConflictStore store, string connectionId, IEnumerable<Conflict> conflicts, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var held = conflicts.Where(c => c.SourceJson is not null).ToList();
        if (held.Count > 0)
        {
            await store.SaveAsync(connectionId, [.. held.Select(c => (c with { SourceJson = null, UpdatedAt = now }, (OutboxEvent?)null))], cancellationToken);
        }

        return held.Count;
    }
}
