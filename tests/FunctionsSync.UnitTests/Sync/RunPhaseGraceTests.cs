using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using FunctionsSync.Core.Webhooks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace FunctionsSync.UnitTests.Sync;

/// <summary>
/// A run's phase is written once it has lasted <see cref="RunCheckpoints.PhaseGrace"/>: a checkpoint begun sooner
/// (which replaces the run row, phase and all) means it is never written, and a later phase replaces an earlier one.
/// </summary>
public sealed class RunPhaseGraceTests
{
    private const string RunId = "run-phase";

    [Fact]
    public async Task A_phase_that_lasts_its_grace_is_written_once()
    {
        var (checkpoints, state, time) = Create();
        var written = Written(state);

        checkpoints.ReportPhase(RunId, RunPhase.Fetching);
        time.Advance(RunCheckpoints.PhaseGrace - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, written.Reader.Count);

        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(RunPhase.Fetching, await written.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        time.Advance(RunCheckpoints.PhaseGrace * 5);
        Assert.Equal(0, written.Reader.Count);
    }

    [Fact]
    public async Task A_checkpoint_within_the_grace_drops_the_phase_and_a_later_phase_replaces_an_earlier_one()
    {
        var (checkpoints, state, time) = Create();
        var written = Written(state);

        checkpoints.ReportPhase(RunId, RunPhase.Fetching);
        time.Advance(RunCheckpoints.PhaseGrace / 2);
        checkpoints.Checkpointing(RunId);
        time.Advance(RunCheckpoints.PhaseGrace * 5);

        checkpoints.ReportPhase(RunId, RunPhase.Fetching);
        time.Advance(RunCheckpoints.PhaseGrace / 2);
        checkpoints.ReportPhase(RunId, RunPhase.Finalizing);
        time.Advance(RunCheckpoints.PhaseGrace);

        Assert.Equal(RunPhase.Finalizing, await written.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        time.Advance(RunCheckpoints.PhaseGrace * 5);
        Assert.Equal(0, written.Reader.Count);
        state.Verify(s => s.SetPhaseAsync(RunId, It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    private static (RunCheckpoints Checkpoints, Mock<ISyncStateStore> State, FakeTimeProvider Time) Create()
    {
        var state = new Mock<ISyncStateStore>();
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-07T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        return (new RunCheckpoints(state.Object, new Mock<IWebhookSignal>().Object, time, NullLogger<ConnectionSyncer>.Instance), state, time);
    }

    private static System.Threading.Channels.Channel<string> Written(Mock<ISyncStateStore> state)
    {
        var written = System.Threading.Channels.Channel.CreateUnbounded<string>();
        state.Setup(s => s.SetPhaseAsync(RunId, It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Callback<string, string, CancellationToken>((_, phase, _) => written.Writer.TryWrite(phase))
            .Returns(Task.CompletedTask);
        return written;
    }
}
