namespace FunctionsSync.Core.Storage;

/// <summary>What one try of an optimistic write came to: its result, or a race lost to another writer.</summary>
public readonly record struct RaceTry<T>(bool Lost, T Result);

/// <summary>
/// The one retry loop of every optimistic write (a row read with its ETag, written only if still at that version):
/// a try that lost its race to another writer is tried again from a fresh read after a short random pause, longer with
/// each lost race, so writers contending for one row fall out of step instead of colliding again in lockstep.
/// </summary>
public static class Race
{
    public static RaceTry<T> Won<T>(T result) => new(false, result);

    public static RaceTry<T> Lost<T>() => new(true, default!);

    /// <param name="attempt">One try, given its number (1 first): read, decide, write; <see cref="Lost{T}"/> when the write found the row moved on.</param>
    /// <param name="maxAttempts">Tries before giving up.</param>
    /// <param name="what">Names the row in the error should it keep changing.</param>
    /// <exception cref="InvalidOperationException">Every try lost its race.</exception>
    public static Task<T> RunAsync<T>(Func<int, CancellationToken, Task<RaceTry<T>>> attempt, int maxAttempts, string what, TimeProvider time, CancellationToken cancellationToken) =>
        LoopAsync(attempt, maxAttempts, () => throw new InvalidOperationException($"{what} changed {maxAttempts} times while one write was tried."), time, cancellationToken);

    /// <summary>As <see cref="RunAsync{T}"/>, answering <paramref name="giveUp"/> where every try lost its race.</summary>
    public static Task<T> RunOrGiveUpAsync<T>(Func<int, CancellationToken, Task<RaceTry<T>>> attempt, int maxAttempts, T giveUp, TimeProvider time, CancellationToken cancellationToken) =>
        LoopAsync(attempt, maxAttempts, () => giveUp, time, cancellationToken);

    private static async Task<T> LoopAsync<T>(Func<int, CancellationToken, Task<RaceTry<T>>> attempt, int maxAttempts, Func<T> exhausted, TimeProvider time, CancellationToken cancellationToken)
    {
        for (var n = 1; ; n++)
        {
            var outcome = await attempt(n, cancellationToken);
            if (!outcome.Lost)
            {
                return outcome.Result;
            }

            if (n >= maxAttempts)
            {
                return exhausted();
            }

            await BackOffAsync(n, time, cancellationToken);
        }
    }

    /// <summary>A pause of 1 ms up to 10 ms × (lost races + 1), at most 200 ms.</summary>
    public static Task BackOffAsync(int lostRaces, TimeProvider time, CancellationToken cancellationToken) =>
        Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 * Math.Min(lostRaces + 1, 20))), time, cancellationToken);
}
