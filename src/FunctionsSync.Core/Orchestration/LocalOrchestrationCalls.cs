using System.Collections.Concurrent;

namespace FunctionsSync.Core.Orchestration;

/// <summary>
/// Runs the sync orchestrations in-process, calling <see cref="SyncActivities"/> directly: the same sequences the
/// Functions app runs on Durable Functions, here without it (tests, and hosts without a Durable backend).
/// Activity retries follow <see cref="ActivityRetry"/>; ContinueAsNew restarts the orchestration in a loop.
/// </summary>
public sealed class LocalOrchestrationCalls(SyncActivities activities, string instanceId, TimeProvider time, CancellationToken cancellationToken) : IOrchestrationCalls
{
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Events = new();
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

    /// <summary>Raises an external event for a waiting instance (what <c>RaiseEventAsync</c> does on Durable).</summary>
    public static void RaiseEvent(string instanceId, string name) =>
        Events.GetOrAdd($"{instanceId}/{name}", _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    public async Task<TResult> CallActivityAsync<TResult>(string name, object input, ActivityRetry? retry)
    {
        var attempts = Math.Max(1, retry?.MaxAttempts ?? 1);
        var delay = retry?.FirstInterval ?? TimeSpan.Zero;
        for (var attempt = 1; ; attempt++)
        {
            ActivityLog.Enqueue(name);
            try
            {
                object result = name switch
                {
                    OrchestrationNames.PlanCycle => await activities.PlanCycleAsync((CycleInput)input, cancellationToken),
                    OrchestrationNames.SyncPage => await activities.SyncPageAsync((PageRequest)input, cancellationToken),
                    OrchestrationNames.RecordCycle => await activities.RecordCycleAsync((CycleRecord)input, cancellationToken),
                    _ => throw new InvalidOperationException($"Unknown activity {name}."),
                };
                return (TResult)result;
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
        var child = new LocalOrchestrationCalls(activities, subInstanceId, time, cancellationToken);
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
        var signal = Events.GetOrAdd($"{instanceId}/{name}", _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        var finished = await Task.WhenAny(signal.Task, Task.Delay(timeout, time, cancellationToken));
        Events.TryRemove($"{instanceId}/{name}", out _);
        return finished == signal.Task;
    }

    public void ContinueAsNew(object input) => continueWith = input;

    public void SetStatus(object status) => LastStatus = status;
}
