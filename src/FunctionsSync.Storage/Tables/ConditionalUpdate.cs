using FunctionsSync.Core.Storage;

namespace FunctionsSync.Storage.Tables;

/// <summary>
/// A read-modify-write of one stored row that never loses another writer's change: the row is read with its ETag, the
/// change is applied to what was read and written back only if the row is still at that version; when another writer
/// got there first the change is applied again to what it wrote (<see cref="Race"/>).
/// </summary>
internal static class ConditionalUpdate
{
    public const int MaxAttempts = 10;

    /// <param name="read">The row as stored now with its version; null when it is gone (nothing is written).</param>
    /// <param name="change">The change, applied to what was read; null leaves the row as it is.</param>
    /// <param name="tryWrite">Writes (current, changed) if the row is still at the version read; false when it moved on or vanished.</param>
    /// <param name="what">Names the row in the error should it keep changing under us.</param>
    /// <returns>The row as written, the row as read when <paramref name="change"/> declined, or null when it is gone.</returns>
    public static Task<T?> ApplyAsync<T>(
        Func<CancellationToken, Task<(T Value, string Version)?>> read,
        Func<T, T?> change,
        Func<T, T, string, CancellationToken, Task<bool>> tryWrite,
        string what,
        TimeProvider time,
        CancellationToken cancellationToken)
        where T : class =>
        Race.RunAsync<T?>(
            async (_, ct) =>
            {
                if (await read(ct) is not { } current)
                {
                    return Race.Won<T?>(null);
                }

                if (change(current.Value) is not { } changed)
                {
                    return Race.Won<T?>(current.Value);
                }

                return await tryWrite(current.Value, changed, current.Version, ct) ? Race.Won<T?>(changed) : Race.Lost<T?>();
            },
            MaxAttempts,
            what,
            time,
            cancellationToken);
}
