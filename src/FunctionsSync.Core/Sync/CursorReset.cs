using FunctionsSync.Core.Records;

namespace FunctionsSync.Core.Sync;

/// <summary>What a cursor reset did: the cursors rewound, or the run in flight that stopped it.</summary>
/// <param name="ActiveRunId">The run whose cursors hold pages (queued, running, paused, interrupted); null when it was a runner's lease alone.</param>
public sealed record CursorReset(bool Done, string? ActiveRunId, IReadOnlyList<EntityCursor> Cursors)
{
    public static CursorReset Refused(string? activeRunId) => new(false, activeRunId, []);
}
