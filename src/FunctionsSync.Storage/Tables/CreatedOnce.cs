using System.Collections.Concurrent;

namespace FunctionsSync.Storage.Tables;

/// <summary>
/// Creates each named thing once per process (a table, a queue) and hands out the same one after; a creation that
/// failed is not cached, so the next call tries again (storage may be back).
/// </summary>
internal sealed class CreatedOnce<T>(Func<string, Task<T>> create)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<T>>> items = new();

    public Task<T> GetAsync(string name, CancellationToken cancellationToken) =>
        items.GetOrAdd(name, n => new Lazy<Task<T>>(() => CreateAsync(n))).Value.WaitAsync(cancellationToken);

    private async Task<T> CreateAsync(string name)
    {
        try
        {
            return await create(name);
        }
        catch
        {
            items.TryRemove(name, out _);
            throw;
        }
    }
}
