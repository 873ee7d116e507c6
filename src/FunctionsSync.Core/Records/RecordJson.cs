using System.Security.Cryptography;
using System.Text.Json;

namespace FunctionsSync.Core.Records;

/// <summary>Serialization of canonical records and their content hash.</summary>
public static class RecordJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = false,
    };

    public static string Serialize(CanonicalRecord record) => JsonSerializer.Serialize(record, Options);

    public static CanonicalRecord Deserialize(string json) =>
        JsonSerializer.Deserialize<CanonicalRecord>(json, Options) ?? throw new JsonException("Record JSON was null.");

    /// <summary>
    /// SHA-256 over the record's JSON without <c>updatedAt</c>: a marketplace touching a record without
    /// changing it must not cause a write. Property order is the declaration order, so the hash is stable.
    /// </summary>
    public static string ContentHash(CanonicalRecord record)
    {
        // The change time is pinned to one value, so it cannot move the hash; everything else is hashed as serialized.
        var bytes = JsonSerializer.SerializeToUtf8Bytes(record with { UpdatedAt = DateTimeOffset.UnixEpoch }, Options);
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }
}
