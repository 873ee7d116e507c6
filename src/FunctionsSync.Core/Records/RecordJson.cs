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

    /// <summary>
    /// The record as the API shows it: its own fields, without the storage's type discriminator (<c>$type</c>: the
    /// route or the conflict says what the record is).
    /// </summary>
    public static JsonElement ToApi(CanonicalRecord record) => JsonSerializer.SerializeToElement(record, record.GetType(), Options);

    /// <summary><see cref="ToApi(CanonicalRecord)"/> as an editable node (a merge patch's target).</summary>
    public static System.Text.Json.Nodes.JsonObject ToApiNode(CanonicalRecord record) =>
        (System.Text.Json.Nodes.JsonObject)JsonSerializer.SerializeToNode(record, record.GetType(), Options)!;

    /// <summary>A record's stored JSON (with its discriminator) as the API shows it; as stored should it not read as a record.</summary>
    public static JsonElement ToApi(string storedJson)
    {
        try
        {
            return ToApi(Deserialize(storedJson));
        }
        catch (JsonException)
        {
            using var document = JsonDocument.Parse(storedJson);
            return document.RootElement.Clone();
        }
    }

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
