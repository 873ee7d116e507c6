using System.Collections.Concurrent;

namespace FunctionsSync.Marketplaces.Medipim;

/// <summary>
/// The <c>/v4/products/stream</c> answers being read, by stream id: a full read takes many pages from one answer, read
/// line by line as it arrives (the process holds the answer's socket and one line, never the catalogue). A stream is
/// this process's alone; one idle past <see cref="IdleTimeout"/> (its run paused, its runner gone) is closed, and a
/// page token naming a stream that is not here (another process, a restart) goes on through query pages instead.
/// </summary>
public sealed class MedipimStreams(TimeProvider time) : IDisposable
{
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(2);

    private readonly ConcurrentDictionary<string, OpenStream> open = new();

    /// <summary>Holds a newly opened answer; returns its id.</summary>
    public string Add(HttpResponseMessage response, StreamReader reader)
    {
        Sweep();
        var id = Guid.NewGuid().ToString("N");
        open[id] = new OpenStream(response, reader) { UsedAt = time.GetUtcNow() };
        return id;
    }

    /// <summary>The stream <paramref name="id"/> if it is here and positioned at <paramref name="index"/> (a repeated page is read from pages instead), taken out until <see cref="Return"/>.</summary>
    public OpenStream? Take(string id, long index)
    {
        Sweep();
        if (!open.TryRemove(id, out var stream))
        {
            return null;
        }

        if (stream.NextIndex == index)
        {
            return stream;
        }

        stream.Dispose();
        return null;
    }

    /// <summary>Puts a stream back to be read on from its <see cref="OpenStream.NextIndex"/>.</summary>
    public void Return(string id, OpenStream stream)
    {
        stream.UsedAt = time.GetUtcNow();
        open[id] = stream;
    }

    public int Count => open.Count;

    public void Dispose()
    {
        foreach (var id in open.Keys)
        {
            if (open.TryRemove(id, out var stream))
            {
                stream.Dispose();
            }
        }
    }

    private void Sweep()
    {
        var stale = time.GetUtcNow() - IdleTimeout;
        foreach (var (id, stream) in open)
        {
            if (stream.UsedAt < stale && open.TryRemove(id, out var removed))
            {
                removed.Dispose();
            }
        }
    }

    public sealed class OpenStream(HttpResponseMessage response, StreamReader reader) : IDisposable
    {
        public StreamReader Reader { get; } = reader;

        /// <summary>The result-set index of the next line.</summary>
        public long NextIndex { get; set; }

        public long? Total { get; set; }

        public DateTimeOffset UsedAt { get; set; }

        public void Dispose()
        {
            Reader.Dispose();
            response.Dispose();
        }
    }
}
