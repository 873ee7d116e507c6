using System.Security.Cryptography;

namespace FunctionsSync.Core.Runs;

/// <summary>
/// Run ids are <c>{connectionId}-{key}</c>; the key sorts newest first (inverted ticks) so the latest runs of a
/// connection are the first rows of its partition.
/// </summary>
public static class RunIds
{
    public static string New(string connectionId, DateTimeOffset now)
    {
        var inverted = DateTimeOffset.MaxValue.UtcTicks - now.UtcTicks;
        return $"{connectionId}-{inverted:D19}{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
    }

    public static bool TryParse(string? runId, out string connectionId, out string runKey)
    {
        connectionId = runKey = "";
        var dash = runId?.LastIndexOf('-') ?? -1;
        if (runId is null || dash <= 0 || dash == runId.Length - 1 || runId.Length > 128)
        {
            return false;
        }

        connectionId = runId[..dash];
        runKey = runId[(dash + 1)..];
        return runKey.All(char.IsAsciiLetterOrDigit) && connectionId.All(char.IsAsciiLetterOrDigit);
    }
}
