namespace FunctionsSync.IntegrationTests.Infrastructure;

/// <summary>The clone the tests run from: its root (where <c>FunctionsSync.sln</c> is) and paths in it.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "FunctionsSync.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("No FunctionsSync.sln above " + AppContext.BaseDirectory);
    }
}
