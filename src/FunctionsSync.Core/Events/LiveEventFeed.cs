using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Core.Events;

/// <summary>
/// What a stream sends: the events after its position, read from the shared log so every replica's events reach every
/// replica's clients. Each poll also looks back <see cref="LiveEventOptions.LateWriteWindow"/> for events that landed
/// late, without sending one twice or going back past where the client resumed.
/// </summary>
public sealed class LiveEventFeed(ILiveEventLog log, IOptions<LiveEventOptions> options, TimeProvider time)
{
    private const int ReadBatch = 500;

    private long polls;

    private LiveEventOptions Options => options.Value;

    /// <summary>Reads of the log this process's streams have made (diagnostics; a test's measure of cost per poll).</summary>
    public long Polls => Interlocked.Read(ref polls);

    /// <summary>
    /// Where a stream starts: after <paramref name="lastEventId"/> (a reconnect; not before the resume window), else now.
    /// False when <paramref name="lastEventId"/> is not an id this service handed out.
    /// </summary>
    public bool TryStart(string? lastEventId, out string position)
    {
        var now = time.GetUtcNow();
        position = LiveEventIds.At(now);
        if (string.IsNullOrEmpty(lastEventId))
        {
            return true;
        }

        if (!LiveEventIds.TryParse(lastEventId, out var at))
        {
            return false;
        }

        position = at < now - Options.ResumeWindow ? LiveEventIds.At(now - Options.ResumeWindow) : lastEventId;
        return true;
    }

    /// <summary>Events after <paramref name="position"/> until the caller stops; <see cref="StreamedEvent.Position"/> is the stream's position after each.</summary>
    public async IAsyncEnumerable<StreamedEvent> FollowAsync(string? organizationId, string position, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var floor = position;
        var highest = position;
        var sent = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var lookback = LiveEventIds.At(now - Options.LateWriteWindow);
            var after = Max(floor, Min(highest, lookback));
            var batch = await log.ReadAfterAsync(organizationId, after, now + Options.LateWriteWindow, ReadBatch, cancellationToken);
            Interlocked.Increment(ref polls);
            foreach (var e in batch)
            {
                if (string.CompareOrdinal(e.Id, floor) <= 0 || !sent.TryAdd(e.Id, now))
                {
                    continue;
                }

                highest = Max(highest, e.Id);
                yield return new StreamedEvent(e, highest);
            }

            // Everything written before the late-write window has been read (when the read was not cut short): the
            // position moves up to it even on a quiet organization, so the next read starts there, never again at
            // where the stream began or resumed (a read that would grow with idle time and with the resume's age).
            if (batch.Count < ReadBatch)
            {
                highest = Max(highest, lookback);
            }

            // An idle tick: lets the host send a heartbeat on a quiet stream.
            yield return new StreamedEvent(null, highest);

            // Ids sent before the look-back window cannot come back; forget them.
            foreach (var old in sent.Where(s => s.Value < now - 2 * Options.LateWriteWindow - Options.PollInterval).Select(s => s.Key).ToList())
            {
                sent.Remove(old);
            }

            if (batch.Count < ReadBatch)
            {
                await Task.Delay(Options.PollInterval, time, cancellationToken);
            }
        }
    }

    /// <summary>The events after <paramref name="position"/> written so far (a host that cannot hold a stream open answers with these and closes).</summary>
    public Task<IReadOnlyList<LiveEvent>> ReadAsync(string? organizationId, string position, CancellationToken cancellationToken) =>
        log.ReadAfterAsync(organizationId, position, time.GetUtcNow() + Options.LateWriteWindow, ReadBatch, cancellationToken);

    private static string Max(string a, string b) => string.CompareOrdinal(a, b) >= 0 ? a : b;

    private static string Min(string a, string b) => string.CompareOrdinal(a, b) <= 0 ? a : b;
}

/// <param name="Event">Null after each poll: nothing to send, time for a heartbeat perhaps.</param>
/// <param name="Position">The stream's position once this event is sent: the highest id sent so far (a late event's own id can be lower).</param>
public sealed record StreamedEvent(LiveEvent? Event, string Position);
