namespace FunctionsSync.IntegrationTests.Infrastructure;

/// <summary>
/// Debian's chromium, which <c>scripts/test.sh</c> installs (Playwright's own browser download does not work here):
/// <c>FUNCTIONSSYNC_CHROMIUM</c> names another executable.
/// </summary>
public static class Chromium
{
    public static string Path => Environment.GetEnvironmentVariable("FUNCTIONSSYNC_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";
}

/// <summary>Files a test leaves for people to look at: <c>TestResults/artifacts/</c> at the repository root.</summary>
public static class Artifacts
{
    public static string PathFor(string file)
    {
        var folder = Repository.PathOf("TestResults", "artifacts");
        Directory.CreateDirectory(folder);
        return System.IO.Path.Combine(folder, file);
    }
}
