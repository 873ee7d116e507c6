using System.Globalization;
using FunctionsSync.Core.Events;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FunctionsSync.UnitTests.Events;

/// <summary>
/// A stream on a quiet organization, resumed from a day-old id: after its first poll each read covers only the last
/// few seconds (one or two hour partitions), for ten simulated minutes, not every hour since the resume point.
/// </summary>
public sealed class LiveEventFeedTests
{
    [Fact]
    public async Task A_quiet_stream_resumed_from_a_day_old_id_reads_no_more_per_poll_as_time_passes()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-06T12:30:00Z", CultureInfo.InvariantCulture));
        var options = new LiveEventOptions { PollInterval = TimeSpan.FromSeconds(1), LateWriteWindow = TimeSpan.FromSeconds(5) };
        var log = new QuietLog();
        var feed = new LiveEventFeed(log, Options.Create(options), time);
        Assert.True(feed.TryStart(LiveEventIds.At(time.GetUtcNow().AddDays(-1).AddMinutes(5)), out var position));

        using var stop = new CancellationTokenSource();
        await using var stream = feed.FollowAsync(null, position, stop.Token).GetAsyncEnumerator(stop.Token);
        for (var poll = 0; poll < 600; poll++)
        {
            var next = stream.MoveNextAsync().AsTask();
            while (!next.IsCompleted)
            {
                time.Advance(options.PollInterval);
                await Task.WhenAny(next, Task.Delay(TimeSpan.FromMilliseconds(5), CancellationToken.None));
            }

            Assert.True(await next);
        }

        // The first read goes back to the resume point (the hours in between are read once); every later one spans at
        // most two hour partitions.
        Assert.True(log.Reads.Count >= 600, $"{log.Reads.Count} reads");
        Assert.True(log.Reads[0] >= 23, $"the first read spans {log.Reads[0]} partitions");
        Assert.All(log.Reads.Skip(1), partitions => Assert.InRange(partitions, 1, 2));
    }

    /// <summary>No events; each read's span in hour partitions is kept.</summary>
    private sealed class QuietLog : ILiveEventLog
    {
        public List<int> Reads { get; } = [];

        public Task AppendAsync(IReadOnlyList<LiveEvent> events, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<IReadOnlyList<LiveEvent>> ReadAfterAsync(string? organizationId, string afterId, DateTimeOffset until, int take, CancellationToken cancellationToken)
        {
            Assert.True(LiveEventIds.TryParse(afterId, out var from));
            var hours = (int)(Truncate(until) - Truncate(from)).TotalHours + 1;
            lock (Reads)
            {
                Reads.Add(hours);
            }

            return Task.FromResult<IReadOnlyList<LiveEvent>>([]);
        }

        private static DateTimeOffset Truncate(DateTimeOffset at) => new(at.Year, at.Month, at.Day, at.Hour, 0, 0, TimeSpan.Zero);
    }
}
