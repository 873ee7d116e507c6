using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Storage.Secrets;

/// <summary>
/// Envelope encryption of secrets at rest with <see cref="AesGcm"/> (no cipher of our own): each value gets a fresh
/// 256-bit data key; the value is sealed with it, and it is sealed with the current key-encryption key, whose id
/// travels with the ciphertext (<c>fse1.{keyId}.{wrapped data key}.{sealed value}</c>), so keys rotate without
/// downtime: old values still open, new ones use the newest key, and <see cref="IsCurrent"/> tells the re-wrap pass
/// what to rewrite. A key's material (a secret of 32+ characters) is stretched to 256 bits with HKDF-SHA256. The
/// sealed value is bound to its <c>context</c> (the row it belongs to), so a ciphertext moved to another row does not open.
/// </summary>
public sealed class SecretCipher
{
    private const string Version = "fse1";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly Dictionary<string, byte[]> keys;
    private readonly string current;

    public SecretCipher(IOptions<SecretOptions> options)
    {
        var o = options.Value;
        keys = o.Keys.ToDictionary(
            k => k.Id,
            k => HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(k.Key), 32, salt: null, info: Encoding.UTF8.GetBytes("FunctionsSync secrets " + k.Id)),
            StringComparer.Ordinal);
        current = o.Current;
    }

    public string Protect(string plaintext, string context)
    {
        var dataKey = RandomNumberGenerator.GetBytes(32);
        try
        {
            var wrapped = Seal(keys[current], dataKey, Encoding.UTF8.GetBytes(current));
            var sealedValue = Seal(dataKey, Encoding.UTF8.GetBytes(plaintext), Encoding.UTF8.GetBytes(context));
            return $"{Version}.{current}.{Base64Url(wrapped)}.{Base64Url(sealedValue)}";
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    public string Unprotect(string protectedText, string context)
    {
        var parts = protectedText.Split('.');
        if (parts is not [Version, var keyId, var wrapped, var sealedValue])
        {
            throw new CryptographicException("Not a protected secret.");
        }

        if (!keys.TryGetValue(keyId, out var key))
        {
            throw new CryptographicException($"The secret is protected with key '{keyId}', which Secrets:Keys no longer lists.");
        }

        var dataKey = Open(key, FromBase64Url(wrapped), Encoding.UTF8.GetBytes(keyId));
        try
        {
            return Encoding.UTF8.GetString(Open(dataKey, FromBase64Url(sealedValue), Encoding.UTF8.GetBytes(context)));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <summary>Whether a ciphertext is wrapped with the current key (otherwise the re-wrap pass rewrites it).</summary>
    public bool IsCurrent(string protectedText) => protectedText.StartsWith($"{Version}.{current}.", StringComparison.Ordinal);

    private static byte[] Seal(byte[] key, byte[] plaintext, byte[] associated)
    {
        var output = new byte[NonceSize + TagSize + plaintext.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize), associated);
        return output;
    }

    private static byte[] Open(byte[] key, byte[] input, byte[] associated)
    {
        if (input.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("A protected secret is too short.");
        }

        var plaintext = new byte[input.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize + TagSize), input.AsSpan(NonceSize, TagSize), plaintext, associated);
        return plaintext;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var b64 = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '='));
    }
}
