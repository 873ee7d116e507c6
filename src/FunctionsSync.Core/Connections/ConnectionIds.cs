using System.Security.Cryptography;
using System.Text;

namespace FunctionsSync.Core.Connections;

/// <summary>
/// Connection ids derive from (organization, marketplace, external store id), so registering twice,
/// even from two replicas at once, lands on the same row.
/// </summary>
public static class ConnectionIds
{
    public static string For(string organizationId, string marketplace, string externalStoreId)
    {
        var key = $"{organizationId.Trim()}\n{marketplace.Trim().ToLowerInvariant()}\n{externalStoreId.Trim()}";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        return "c" + Convert.ToHexStringLower(hash.AsSpan(0, 12));
    }

    public static string NewSyncToken() => "st_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    /// <summary>What is stored of a sync token: its SHA-256, hex. The token itself is shown once, when issued.</summary>
    public static string HashSyncToken(string syncToken) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(syncToken)));
}
