using Azure.Data.Tables;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.Storage.Secrets;

/// <summary>
/// A row's secrets, encrypted (<see cref="SecretCipher"/>, bound to <c>context</c>, the row's identity) in column
/// <c>Secrets</c>, over as many properties as they need (<see cref="LargeText"/>). Connections and webhook endpoints keep theirs here.
/// </summary>
internal static class SecretColumn
{
    public const string Name = "Secrets";

    /// <exception cref="Core.Storage.TooLargeToStoreException">They need more than <paramref name="maxParts"/> properties; named <paramref name="field"/>.</exception>
    public static void Write<T>(TableEntity entity, SecretCipher cipher, string context, T secrets, int maxParts, string field) =>
        LargeText.Write(entity, Name, cipher.Protect(StorageJson.Serialize(secrets), context), maxParts, field);

    /// <summary>The secrets; null for a row written before they were encrypted (they are in its JSON).</summary>
    public static T? Read<T>(TableEntity entity, SecretCipher cipher, string context)
        where T : class =>
        LargeText.Read(entity, Name) is { } protectedSecrets ? StorageJson.Deserialize<T>(cipher.Unprotect(protectedSecrets, context)) : null;

    /// <summary>In plain text still, or under a key that is no longer the current one: the re-wrap pass rewrites it.</summary>
    public static bool IsStale(TableEntity entity, SecretCipher cipher) => LargeText.Read(entity, Name) is not { } secrets || !cipher.IsCurrent(secrets);
}
