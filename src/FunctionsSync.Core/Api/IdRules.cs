namespace FunctionsSync.Core.Api;

/// <summary>
/// One rule for identifiers a client chooses (organization ids on every route, store ids): present, bounded, and safe
/// as part of a Table Storage key — no control characters and none of <c>/ \ # ?</c>, which keys refuse.
/// </summary>
public static class IdRules
{
    public const int OrganizationIdMax = 128;

    public const int StoreIdMax = 256;

    public static string? OrganizationIdError(string? id) => Error(id, OrganizationIdMax);

    /// <returns>Why <paramref name="id"/> is refused, or null when it is acceptable.</returns>
    public static string? Error(string? id, int max) =>
        string.IsNullOrWhiteSpace(id) || id.Length > max || id != id.Trim() || id.Any(c => char.IsControl(c) || c is '/' or '\\' or '#' or '?')
            ? $"Required, at most {max} characters, without surrounding spaces, control characters or / \\ # ?."
            : null;
}
