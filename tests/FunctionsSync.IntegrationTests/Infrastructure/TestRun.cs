namespace FunctionsSync.IntegrationTests.Infrastructure;

/// <summary>
/// This test process's suffix on every fixed table prefix (a harness and a host given the same prefix still share
/// tables): a rerun against persistent storage (<c>FUNCTIONSSYNC_TEST_STORAGE</c> naming a real account) writes
/// tables of its own instead of finding the last run's rows.
/// </summary>
public static class TestRun
{
    public static readonly string Suffix = Guid.NewGuid().ToString("N")[..4];

    public static string Prefixed(string tablePrefix) => tablePrefix + Suffix;
}
