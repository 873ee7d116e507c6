using System.Security.Cryptography;
using System.Text;

namespace FunctionsSync.Core.Webhooks;

/// <summary>
/// Standard Webhooks signing: HMAC-SHA256 over <c>{webhook-id}.{webhook-timestamp}.{body}</c> with the secret's
/// base64 key, sent as <c>webhook-signature: v1,{base64}</c>.
/// </summary>
public static class WebhookSigner
{
    public const string SecretPrefix = "whsec_";

    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

    public static string Sign(string secret, string messageId, long timestamp, string body)
    {
        var key = Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);
        var signature = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{messageId}.{timestamp}.{body}"));
        return "v1," + Convert.ToBase64String(signature);
    }
}
