using FunctionsSync.Core.Runs;

namespace FunctionsSync.Core.Orchestration;

/// <summary>
/// What a lane (and the cycle, summing its lanes) ended with: counts, and the first few failure messages. Per-run
/// results stay in each run's own record; carrying them here would grow every history with the connection count.
/// </summary>
/// <param name="Dropped">Scheduled jobs dropped at start (no run recorded): the cycle would no longer have planned them.</param>
public sealed record CycleTotals(int Started, int Succeeded, int Failed, int Dropped, IReadOnlyList<string> Errors)
{
    public const int MaxErrors = 10;

    public static CycleTotals None { get; } = new(0, 0, 0, 0, []);

    public CycleTotals Add(PageResult result) => new(
        Started + 1,
        Succeeded + (result.Status is RunStatus.Succeeded or RunStatus.Partial ? 1 : 0),
        Failed + (result.Status is null or RunStatus.Succeeded or RunStatus.Partial ? 0 : 1),
        Dropped + (result.Status is null ? 1 : 0),
        result.Status is RunStatus.Failed && result.Message is { } message ? Capped(Errors, [message]) : Errors);

    public CycleTotals Add(CycleTotals other) => new(
        Started + other.Started, Succeeded + other.Succeeded, Failed + other.Failed, Dropped + other.Dropped, Capped(Errors, other.Errors));

    private static IReadOnlyList<string> Capped(IReadOnlyList<string> errors, IReadOnlyList<string> more) =>
        errors.Count >= MaxErrors || more.Count == 0 ? errors : [.. errors.Concat(more).Take(MaxErrors)];
}
