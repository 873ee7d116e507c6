namespace FunctionsSync.Core.Orchestration;

/// <summary>
/// The calls the sync orchestrations make, and nothing else. Durable Functions' <c>TaskOrchestrationContext</c> backs
/// it in the cloud; the integration tests' <c>LocalOrchestrationCalls</c> runs the same sequences in-process. Implementations must be
/// deterministic on replay, so orchestration code never touches clocks, GUIDs, I/O or configuration itself.
/// </summary>
public interface IOrchestrationCalls
{
    string InstanceId { get; }

    Task<TResult> CallActivityAsync<TResult>(string name, object input, ActivityRetry? retry);

    Task<TResult> CallSubOrchestratorAsync<TResult>(string name, string instanceId, object input);

    /// <summary>A durable timer.</summary>
    Task DelayAsync(TimeSpan delay);

    /// <summary>Waits for an external event (e.g. <c>resume</c>) or until <paramref name="timeout"/>; true when it came.</summary>
    Task<bool> WaitForEventAsync(string name, TimeSpan timeout);

    /// <summary>Restarts the orchestration with <paramref name="input"/> to keep its history small.</summary>
    void ContinueAsNew(object input);

    void SetStatus(object status);
}
