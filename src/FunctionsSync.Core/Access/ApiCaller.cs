namespace FunctionsSync.Core.Access;

/// <summary>Who is calling: the admin (sees everything) or one organization (sees only its own).</summary>
public sealed record ApiCaller(bool IsAdmin, string? OrganizationId)
{
    public static ApiCaller Admin { get; } = new(true, null);

    public static ApiCaller Organization(string organizationId) => new(false, organizationId);

    /// <summary>How the activity log names the caller.</summary>
    public string Actor => IsAdmin ? "admin" : $"org:{OrganizationId}";

    public bool CanSee(string organizationId) => IsAdmin || OrganizationId == organizationId;

    /// <summary>
    /// The organization a list request may filter on: the admin's choice (null: all), an organization key's own.
    /// False when an organization key asked for another organization (the answer is an empty list).
    /// </summary>
    public bool TryScope(string? requested, out string? organizationId)
    {
        organizationId = IsAdmin ? requested : OrganizationId;
        return IsAdmin || requested is null || requested == OrganizationId;
    }
}
