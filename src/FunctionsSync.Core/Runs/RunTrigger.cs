namespace FunctionsSync.Core.Runs;

public enum RunTrigger
{
    Schedule,
    Manual,
    Import,
}
