using FunctionsSync.Core.Storage;
using Microsoft.Extensions.Time.Testing;

namespace FunctionsSync.UnitTests.Storage;

public sealed class RaceTests
{
    /// <summary>Runs <paramref name="race"/>, moving the fake clock on while it pauses between tries.</summary>
    private static async Task<T> RunAsync<T>(FakeTimeProvider time, Func<Task<T>> race)
    {
        var task = race();
        while (!task.IsCompleted)
        {
            time.Advance(TimeSpan.FromMilliseconds(50));
            await Task.Yield();
        }

        return await task;
    }

    [Fact]
    public async Task A_lost_race_is_tried_again_after_a_pause_until_it_is_won()
    {
        var time = new FakeTimeProvider();
        var tries = new List<(int Number, DateTimeOffset At)>();
        var result = await RunAsync(time, () => Race.RunAsync((n, _) =>
        {
            tries.Add((n, time.GetUtcNow()));
            return Task.FromResult(n < 3 ? Race.Lost<string>() : Race.Won("written"));
        }, 10, "row", time, CancellationToken.None));

        Assert.Equal("written", result);
        Assert.Equal([1, 2, 3], tries.Select(t => t.Number));
        // Each lost race pauses on the clock before the next read.
        Assert.All(tries.Zip(tries.Skip(1)), pair => Assert.True(pair.Second.At > pair.First.At));
    }

    [Fact]
    public async Task Every_race_lost_ends_in_an_error_naming_the_row_or_in_the_answer_given_for_it()
    {
        var time = new FakeTimeProvider();
        var tries = 0;
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync(time, () => Race.RunAsync((_, _) =>
        {
            tries++;
            return Task.FromResult(Race.Lost<int>());
        }, 4, "The lease row of connection c1", time, CancellationToken.None)));
        Assert.Equal(4, tries);
        Assert.StartsWith("The lease row of connection c1 changed 4 times", error.Message, StringComparison.Ordinal);

        Assert.Equal("gave up", await RunAsync(time, () => Race.RunOrGiveUpAsync((_, _) => Task.FromResult(Race.Lost<string>()), 3, "gave up", time, CancellationToken.None)));
    }
}
