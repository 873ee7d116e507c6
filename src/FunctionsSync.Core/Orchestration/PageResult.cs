using FunctionsSync.Core.Runs;

namespace FunctionsSync.Core.Orchestration;

public enum PageResultKind
{
    /// <summary>A page was synced and there is more.</summary>
    More,

    /// <summary>The run reached a final status.</summary>
    Done,

    /// <summary>Another runner holds the connection; try again after <see cref="PageResult.RetryAfter"/>.</summary>
    Busy,

    /// <summary>The run is paused; wait for resume.</summary>
    Paused,
}

public sealed record PageResult(PageResultKind Kind, RunStatus? Status, long Processed, long Total, TimeSpan? RetryAfter, string? Message);
