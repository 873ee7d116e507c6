namespace FunctionsSync.Core.Jobs;

public enum JobOutcome
{
    Completed,
    Deferred,
    HandedOver,
    Poisoned,
}
