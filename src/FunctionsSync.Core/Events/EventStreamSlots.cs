using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace FunctionsSync.Core.Events;

/// <summary>
/// Open event streams per API key on this replica, so one key cannot hold a replica's connections and storage polls
/// without bound. Keys are counted by their hash, never kept.
/// </summary>
public sealed class EventStreamSlots
{
    private readonly ConcurrentDictionary<string, int> open = new(StringComparer.Ordinal);

    /// <summary>Takes a slot for <paramref name="key"/>; null when it already holds <paramref name="limit"/> streams.</summary>
    public IDisposable? TryTake(string? key, int limit)
    {
        var id = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key ?? "")));
        while (true)
        {
            var held = open.GetValueOrDefault(id);
            if (held >= limit)
            {
                return null;
            }

            if (held == 0 ? open.TryAdd(id, 1) : open.TryUpdate(id, held + 1, held))
            {
                return new Slot(this, id);
            }
        }
    }

    private void Release(string id)
    {
        while (true)
        {
            var held = open[id];
            if (held == 1 ? open.TryRemove(new KeyValuePair<string, int>(id, 1)) : open.TryUpdate(id, held - 1, held))
            {
                return;
            }
        }
    }

    private sealed class Slot(EventStreamSlots slots, string id) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                slots.Release(id);
            }
        }
    }
}
