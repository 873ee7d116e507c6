namespace FunctionsSync.Simulator.Faults;

public enum FaultDecision
{
    None,
    RateLimited,
    ServerError,
}
