using System.Security.Cryptography;
using FunctionsSync.Storage.Secrets;
using Microsoft.Extensions.Options;

namespace FunctionsSync.UnitTests.Storage;

public sealed class SecretCipherTests
{
    private static readonly SecretKeyOptions First = new() { Id = "k1", Key = "first-key-material-0123456789-abcdef" };
    private static readonly SecretKeyOptions Second = new() { Id = "k2", Key = "second-key-material-0123456789-abcdef" };

    [Fact]
    public void A_secret_round_trips_and_its_ciphertext_names_its_key_and_hides_the_value()
    {
        var cipher = Cipher(First);
        var sealedValue = cipher.Protect("Atzr|refresh-token-value", "connection|c1");

        Assert.StartsWith("fse1.k1.", sealedValue, StringComparison.Ordinal);
        Assert.DoesNotContain("refresh-token-value", sealedValue, StringComparison.Ordinal);
        Assert.NotEqual(sealedValue, cipher.Protect("Atzr|refresh-token-value", "connection|c1"));
        Assert.Equal("Atzr|refresh-token-value", cipher.Unprotect(sealedValue, "connection|c1"));
        Assert.True(cipher.IsCurrent(sealedValue));
    }

    [Fact]
    public void A_ciphertext_opens_only_in_its_own_row_and_unaltered()
    {
        var cipher = Cipher(First);
        var sealedValue = cipher.Protect("secret", "connection|c1");

        Assert.ThrowsAny<CryptographicException>(() => cipher.Unprotect(sealedValue, "connection|c2"));
        var tampered = sealedValue[..^2] + (sealedValue[^2] == 'A' ? "B" : "A") + sealedValue[^1];
        Assert.ThrowsAny<CryptographicException>(() => cipher.Unprotect(tampered, "connection|c1"));
        Assert.ThrowsAny<CryptographicException>(() => cipher.Unprotect("plain text", "connection|c1"));
    }

    [Fact]
    public void After_a_rotation_old_values_read_new_ones_use_the_new_key_and_a_dropped_key_is_named()
    {
        var old = Cipher(First).Protect("secret", "webhook|w1");
        var rotated = Cipher(First, Second);

        Assert.Equal("secret", rotated.Unprotect(old, "webhook|w1"));
        Assert.False(rotated.IsCurrent(old));
        Assert.StartsWith("fse1.k2.", rotated.Protect("secret", "webhook|w1"), StringComparison.Ordinal);
        var dropped = Assert.ThrowsAny<CryptographicException>(() => Cipher(Second).Unprotect(old, "webhook|w1"));
        Assert.Contains("'k1'", dropped.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_without_a_key_or_with_a_short_one_are_refused_at_start()
    {
        Assert.Contains(new SecretOptions().Validate(new(new object())), r => r.ErrorMessage!.Contains("Secrets:Keys is required", StringComparison.Ordinal));
        Assert.NotEmpty(new SecretOptions { Keys = [new() { Id = "k", Key = "short" }] }.Validate(new(new object())));
        Assert.NotEmpty(new SecretOptions { Keys = [First, First] }.Validate(new(new object())));
        Assert.NotEmpty(new SecretOptions { Keys = [First], CurrentKeyId = "k9" }.Validate(new(new object())));
        Assert.Empty(new SecretOptions { Keys = [First, Second], CurrentKeyId = "k1" }.Validate(new(new object())));
    }

    private static SecretCipher Cipher(params SecretKeyOptions[] keys) => new(Options.Create(new SecretOptions { Keys = [.. keys] }));
}
