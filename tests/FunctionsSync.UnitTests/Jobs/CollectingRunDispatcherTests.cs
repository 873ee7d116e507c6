using FunctionsSync.Core.Jobs;
using FunctionsSync.Core.Runs;

namespace FunctionsSync.UnitTests.Jobs;

public sealed class CollectingRunDispatcherTests
{
    private static readonly SyncJob Job = new("c1-1", "c1", "o", SyncMode.Full, [], RunTrigger.Manual, null);

    [Fact]
    public async Task Jobs_dispatched_within_a_scope_are_collected_for_the_caller_to_start()
    {
        var dispatcher = new CollectingRunDispatcher();
        using var scope = CollectingRunDispatcher.Begin();
        await dispatcher.DispatchAsync(Job, TimeSpan.FromSeconds(3), CancellationToken.None);
        await dispatcher.ResumeAsync(Job, CancellationToken.None);
        Assert.Equal([new CollectedRun(Job, TimeSpan.FromSeconds(3), Resumed: false), new CollectedRun(Job, TimeSpan.Zero, Resumed: true)], scope.Runs);
    }

    [Fact]
    public async Task Dispatching_outside_a_scope_fails_instead_of_losing_the_run() =>
        await Assert.ThrowsAsync<InvalidOperationException>(() => new CollectingRunDispatcher().DispatchAsync(Job, TimeSpan.Zero, CancellationToken.None));
}
