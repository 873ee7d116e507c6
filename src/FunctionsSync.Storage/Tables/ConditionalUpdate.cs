namespace FunctionsSync.Storage.Tables;

/// <summary>
/// A read-modify-write of one stored row that never loses another writer's change: the row is read with its ETag, the
/// change is applied to what was read and written back only if the row is still at that version; when another writer
/// got there first the change is applied again to what it wrote, after a short random pause so racing writers fall
/// out of step.
/// </summary>
internal static class ConditionalUpdate
{
    public const int MaxAttempts = 10;

    /// <param name="read">The row as stored now with its version; null when it is gone (nothing is written).</param>
    /// <param name="change">The change, applied to what was read; null leaves the row as it is.</param>
    /// <param name="tryWrite">Writes (current, changed) if the row is still at the version read; false when it moved on or vanished.</param>
    /// <param name="what">Names the row in the error should it keep changing under us.</param>
    /// <returns>The row as written, the row as read when <paramref name="change"/> declined, or null when it is gone.</returns>
    public static async Task<T?> ApplyAsync<T>(
        Func<CancellationToken, Task<(T Value, string Version)?>> read,
        Func<T, T?> change,
        Func<T, T, string, CancellationToken, Task<bool>> tryWrite,
        string what,
        TimeProvider time,
        CancellationToken cancellationToken)
        where T : class
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await read(cancellationToken) is not { } current)
            {
                return null;
            }

            if (change(current.Value) is not { } changed)
            {
                return current.Value;
            }

            if (await tryWrite(current.Value, changed, current.Version, cancellationToken))
            {
                return changed;
            }

            if (attempt == MaxAttempts)
            {
                throw new InvalidOperationException($"{what} changed {MaxAttempts} times while one update was applied.");
            }

            await BackOffAsync(attempt, time, cancellationToken);
        }
    }

    /// <summary>A short random pause, longer with each lost race, so writers contending for one row fall out of step.</summary>
    public static Task BackOffAsync(int attempt, TimeProvider time, CancellationToken cancellationToken) =>
        Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 * Math.Min(attempt + 1, 20))), time, cancellationToken);
}
