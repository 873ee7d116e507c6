namespace FunctionsSync.Core.Runs;

public static class RunStatuses
{
    public static bool IsFinal(this RunStatus status) =>
        status is RunStatus.Succeeded or RunStatus.Partial or RunStatus.Failed or RunStatus.Cancelled;
}
