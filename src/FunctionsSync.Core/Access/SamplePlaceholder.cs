namespace FunctionsSync.Core.Access;

/// <summary>
/// The placeholders of <c>local.settings.sample.json</c> (<c>change-me-…</c>): a copied sample would otherwise start with
/// a key anyone reading the repository knows, so options validation refuses them at start-up.
/// </summary>
public static class SamplePlaceholder
{
    public const string Prefix = "change-me";

    public static bool Is(string? value) => value?.Trim().StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) == true;
}
