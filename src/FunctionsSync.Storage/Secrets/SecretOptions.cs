using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace FunctionsSync.Storage.Secrets;

/// <summary>
/// The key-encryption keys that protect secrets at rest (<c>Secrets</c>): connections' credentials and sync tokens,
/// webhook endpoints' signing secrets. Oldest first; <see cref="CurrentKeyId"/> (default: the last) wraps new writes,
/// every listed key still reads. In Azure each key's material is a Key Vault secret reference; locally
/// <c>scripts/run.sh</c> generates one into the data folder beside the admin key.
/// </summary>
public sealed partial class SecretOptions : IValidatableObject
{
    public const string SectionName = "Secrets";

    public List<SecretKeyOptions> Keys { get; set; } = [];

    public string? CurrentKeyId { get; set; }

    public string Current => CurrentKeyId ?? Keys[^1].Id;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Keys.Count == 0)
        {
            yield return new ValidationResult(
                "Secrets:Keys is required: at least one key-encryption key (Secrets:Keys:0:Id, Secrets:Keys:0:Key, 32 or more characters of random material) protects credentials and secrets at rest.",
                [nameof(Keys)]);
            yield break;
        }

        foreach (var key in Keys)
        {
            if (!KeyId().IsMatch(key.Id ?? ""))
            {
                yield return new ValidationResult($"Secrets:Keys: id '{key.Id}' must be 1-32 letters, digits, '-' or '_'.", [nameof(Keys)]);
            }

            if ((key.Key ?? "").Length < 32)
            {
                yield return new ValidationResult($"Secrets:Keys: the key '{key.Id}' needs 32 or more characters of random material.", [nameof(Keys)]);
            }
            else if (Core.Access.SamplePlaceholder.Is(key.Key))
            {
                yield return new ValidationResult($"Secrets:Keys: the key '{key.Id}' is the sample's placeholder: set 32 or more characters of random material of your own.", [nameof(Keys)]);
            }
        }

        if (Keys.Select(k => k.Id).Distinct(StringComparer.Ordinal).Count() != Keys.Count)
        {
            yield return new ValidationResult("Secrets:Keys: ids must be unique.", [nameof(Keys)]);
        }

        if (CurrentKeyId is { } current && Keys.All(k => k.Id != current))
        {
            yield return new ValidationResult($"Secrets:CurrentKeyId '{current}' is not among Secrets:Keys.", [nameof(CurrentKeyId)]);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}$")]
    private static partial Regex KeyId();
}

/// <summary>One key-encryption key: its id (written beside each ciphertext) and its material.</summary>
public sealed class SecretKeyOptions
{
    public string Id { get; set; } = "";

    public string Key { get; set; } = "";
}
