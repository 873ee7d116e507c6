using FunctionsSync.Core.Orchestration;
using Microsoft.DurableTask;

namespace FunctionsSync.Functions.Orchestration;

/// <summary>Core's orchestration calls on a Durable <see cref="TaskOrchestrationContext"/>; replay-safe by construction.</summary>
internal sealed class DurableOrchestrationCalls(TaskOrchestrationContext context) : IOrchestrationCalls
{
    public string InstanceId => context.InstanceId;

    public Task<TResult> CallActivityAsync<TResult>(string name, object input, ActivityRetry? retry) =>
        context.CallActivityAsync<TResult>(name, input, retry is null ? null : TaskOptions.FromRetryPolicy(
            new RetryPolicy(retry.MaxAttempts, retry.FirstInterval, retry.BackoffCoefficient, retry.MaxInterval)));

    public Task<TResult> CallSubOrchestratorAsync<TResult>(string name, string instanceId, object input) =>
        context.CallSubOrchestratorAsync<TResult>(name, input, new TaskOptions().WithInstanceId(instanceId));

    public Task DelayAsync(TimeSpan delay) => context.CreateTimer(delay, CancellationToken.None);

    public async Task<bool> WaitForEventAsync(string name, TimeSpan timeout)
    {
        // The documented timeout pattern: race the event against a durable timer and cancel the timer if the event wins.
        using var timerCancellation = new CancellationTokenSource();
        var signal = context.WaitForExternalEvent<object?>(name);
        var timer = context.CreateTimer(timeout, timerCancellation.Token);
        if (await Task.WhenAny(signal, timer) == signal)
        {
            timerCancellation.Cancel();
            return true;
        }

        return false;
    }

    public void ContinueAsNew(object input) => context.ContinueAsNew(input);

    public void SetStatus(object status) => context.SetCustomStatus(status);
}
