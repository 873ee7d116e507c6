namespace FunctionsSync.Core.Orchestration;

/// <summary>Function names shared by the Functions app and the in-process driver.</summary>
public static class OrchestrationNames
{
    public const string SyncCycle = "SyncCycle";
    public const string CycleLane = "CycleLane";
    public const string ConnectionSync = "ConnectionSync";
    public const string PlanCycle = "PlanCycle";
    public const string SyncPage = "SyncPage";
    public const string RecordCycle = "RecordCycle";

    /// <summary>The singleton cycle's instance id: a cycle still running is not started twice.</summary>
    public const string CycleInstanceId = "sync-cycle";

    public const string ResumeEvent = "resume";
}
