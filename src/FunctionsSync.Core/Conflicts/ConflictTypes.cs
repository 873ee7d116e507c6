using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using FunctionsSync.Core.Api;
using FunctionsSync.Core.Records;

namespace FunctionsSync.Core.Conflicts;

/// <summary>Wire names and ids of conflicts.</summary>
public static class ConflictTypes
{
    /// <summary>The name the API and run status use (<c>data_mismatch</c>); it is also part of the conflict id.</summary>
    public static string ToWire(this ConflictType type) => ApiJson.WireName(type);

    /// <summary>
    /// <c>cf_{connectionId}_{hash}</c>: one id per (connection, type, record), so detecting the same problem again
    /// finds the same conflict, and the connection (the storage partition) can be read off the id.
    /// </summary>
    public static string IdFor(string connectionId, ConflictType type, EntityType? entityType, string? subject)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{type.ToWire()}|{entityType?.ToWire()}|{subject}"));
        return $"cf_{connectionId}_{Convert.ToHexStringLower(hash)[..20]}";
    }

    public static bool TryParseId(string? id, [NotNullWhen(true)] out string? connectionId)
    {
        connectionId = null;
        var parts = id?.Split('_') ?? [];
        if (parts.Length != 3 || parts[0] != "cf" || parts[1].Length is 0 or > 64 || !parts[1].All(char.IsAsciiLetterOrDigit)
            || parts[2].Length != 20 || !parts[2].All(char.IsAsciiHexDigitLower))
        {
            return false;
        }

        connectionId = parts[1];
        return true;
    }
}
