using System.Collections.Concurrent;
using FunctionsSync.Core.Orchestration;

namespace FunctionsSync.IntegrationTests.Infrastructure;

/// <summary>
/// A test double of Durable Functions: runs Core's sync orchestrations in-process, calling <see cref="SyncActivities"/>
/// directly, the same sequences the Functions app runs on Durable (whose own tests run them on the real engine).
/// Activity retries follow <see cref="ActivityRetry"/>; ContinueAsNew restarts the orchestration in a loop. External
/// events are kept per orchestration tree (an instance and its sub-orchestrations), not process-wide.
/// </summary>
public sealed class LocalOrchestrationCalls(SyncActivities activities, string instanceId, TimeProvider time, CancellationToken cancellationToken) : IOrchestrationCalls
{
    /// <summary>Each activity by name: adding one to the orchestrations is one entry here.</summary>
    private static readonly IReadOnlyDictionary<string, Func<SyncActivities, object, CancellationToken, Task<object>>> Activities =
        new Dictionary<string, Func<SyncActivities, object, CancellationToken, Task<object>>>
        {
            [OrchestrationNames.PlanCycle] = async (a, input, ct) => await a.PlanCycleAsync((CycleInput)input, ct),
            [OrchestrationNames.SyncPage] = async (a, input, ct) => await a.SyncPageAsync((PageRequest)input, ct),
            [OrchestrationNames.RecordCycle] = async (a, input, ct) => await a.RecordCycleAsync((CycleRecord)input, ct),
        };

    private ConcurrentDictionary<string, TaskCompletionSource> events = new();
    private object? continueWith;

    public string InstanceId => instanceId;

    public object? LastStatus { get; private set; }

    /// <summary>How many times the orchestration continued as new (history generations).</summary>
    public int Generations { get; private set; }

    public ConcurrentQueue<string> ActivityLog { get; } = new();

    public static Task<CycleResult> RunCycleAsync(SyncActivities activities, CycleInput input, TimeProvider time, CancellationToken cancellationToken) =>
        SyncCycleOrchestration.RunAsync(new LocalOrchestrationCalls(activities, OrchestrationNames.CycleInstanceId, time, cancellationToken), input);

    public static async Task<PageResult> RunConnectionSyncAsync(LocalOrchestrationCalls context, ConnectionSyncInput input) =>
        (await context.RunGenerationsAsync(input, ConnectionSyncOrchestration.RunAsync))!;

    /// <summary>Runs <paramref name="orchestration"/> until it returns without continuing as new, as Durable restarts it.</summary>
    private async Task<TResult?> RunGenerationsAsync<TInput, TResult>(TInput input, Func<IOrchestrationCalls, TInput, Task<TResult?>> orchestration)
    {
        while (true)
        {
            var result = await orchestration(this, input);
            if (continueWith is TInput next)
            {
                continueWith = null;
                Generations++;
                input = next;
                continue;
            }

            return result;
        }
    }

    /// <summary>Raises an external event for a waiting instance of this tree (what <c>RaiseEventAsync</c> does on Durable).</summary>
    public void RaiseEvent(string targetInstanceId, string name) =>
        events.GetOrAdd($"{targetInstanceId}/{name}", _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    public async Task<TResult> CallActivityAsync<TResult>(string name, object input, ActivityRetry? retry)
    {
        var attempts = Math.Max(1, retry?.MaxAttempts ?? 1);
        var delay = retry?.FirstInterval ?? TimeSpan.Zero;
        for (var attempt = 1; ; attempt++)
        {
            ActivityLog.Enqueue(name);
            try
            {
                var run = Activities.GetValueOrDefault(name) ?? throw new InvalidOperationException($"Unknown activity {name}.");
                return (TResult)await run(activities, input, cancellationToken);
            }
            catch (Exception) when (attempt < attempts && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(delay, time, cancellationToken);
                var next = delay * (retry?.BackoffCoefficient ?? 1);
                delay = retry is not null && next > retry.MaxInterval ? retry.MaxInterval : next;
            }
        }
    }

    public async Task<TResult> CallSubOrchestratorAsync<TResult>(string name, string subInstanceId, object input)
    {
        // Off the caller's stack, as Durable runs sub-orchestrations on their own.
        await Task.Yield();
        var child = new LocalOrchestrationCalls(activities, subInstanceId, time, cancellationToken) { events = events };
        object? result = name switch
        {
            OrchestrationNames.CycleLane => await child.RunGenerationsAsync((LaneInput)input, CycleLaneOrchestration.RunAsync),
            OrchestrationNames.ConnectionSync => await child.RunGenerationsAsync((ConnectionSyncInput)input, ConnectionSyncOrchestration.RunAsync),
            _ => throw new InvalidOperationException($"Unknown orchestration {name}."),
        };
        return (TResult)result!;
    }

    public Task DelayAsync(TimeSpan delay) => Task.Delay(delay, time, cancellationToken);

    public async Task<bool> WaitForEventAsync(string name, TimeSpan timeout)
    {
        var signal = events.GetOrAdd($"{instanceId}/{name}", _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        var finished = await Task.WhenAny(signal.Task, Task.Delay(timeout, time, cancellationToken));
        events.TryRemove($"{instanceId}/{name}", out _);
        return finished == signal.Task;
    }

    public void ContinueAsNew(object input) => continueWith = input;

    public void SetStatus(object status) => LastStatus = status;
}
