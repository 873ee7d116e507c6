using FunctionsSync.Core.Orchestration;

namespace FunctionsSync.Core.Jobs;

/// <summary>
/// A dispatcher that only collects what is started within a scope (one HTTP request): runs, resumed runs and cycles,
/// for hosts that start them with a client bound per call, like the Functions app's <c>[DurableClient]</c>, once the
/// handler has answered. Outside a scope, dispatching fails loudly rather than losing a run.
/// </summary>
public sealed class CollectingRunDispatcher : IRunDispatcher
{
    private static readonly AsyncLocal<Scope?> Current = new();

    public static Scope Begin() => new();

    public Task DispatchAsync(SyncJob job, TimeSpan delay, CancellationToken cancellationToken)
    {
        In().Add(new CollectedRun(job, delay, Resumed: false));
        return Task.CompletedTask;
    }

    public Task ResumeAsync(SyncJob job, CancellationToken cancellationToken)
    {
        In().Add(new CollectedRun(job, TimeSpan.Zero, Resumed: true));
        return Task.CompletedTask;
    }

    /// <summary>A planned cycle, to start as a SyncCycle orchestration when the request's handler has answered.</summary>
    public static void StartCycle(CycleInput cycle) => In().Add(cycle);

    private static Scope In() => Current.Value ?? throw new InvalidOperationException("Runs can only be dispatched within a CollectingRunDispatcher scope.");

    public sealed class Scope : IDisposable
    {
        private readonly Scope? previous = Current.Value;
        private readonly List<CollectedRun> runs = [];
        private readonly List<CycleInput> cycles = [];

        internal Scope() => Current.Value = this;

        public IReadOnlyList<CollectedRun> Runs => runs;

        public IReadOnlyList<CycleInput> Cycles => cycles;

        public void Dispose() => Current.Value = previous;

        internal void Add(CollectedRun run)
        {
            lock (runs)
            {
                runs.Add(run);
            }
        }

        internal void Add(CycleInput cycle)
        {
            lock (cycles)
            {
                cycles.Add(cycle);
            }
        }
    }
}

/// <param name="Resumed">A paused run queued again: its orchestration waits for the <c>resume</c> event.</param>
public sealed record CollectedRun(SyncJob Job, TimeSpan Delay, bool Resumed);
