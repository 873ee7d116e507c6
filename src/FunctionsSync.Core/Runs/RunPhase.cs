namespace FunctionsSync.Core.Runs;

public static class RunPhase
{
    public const string Fetching = "fetching";
    public const string Ingesting = "ingesting";
    public const string Finalizing = "finalizing";
}
