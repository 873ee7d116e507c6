using FunctionsSync.Core.Access;

namespace FunctionsSync.Core.Api;

public sealed class AdminApi(IApiKeyStore keys)
{
    /// <summary><c>POST /api/admin/keys</c>: issues an organization key; it is shown once.</summary>
    public async Task<ApiResult> IssueKeyAsync(ApiCaller caller, string? body, CancellationToken cancellationToken)
    {
        if (!caller.IsAdmin)
        {
            return Problems.Forbidden("Only the admin key issues organization keys.");
        }

        if (!ApiJson.TryRead<IssueKeyRequest>(body, out var request, out var problem))
        {
            return problem;
        }

        if (request.OrganizationId is not { } organizationId || IdRules.OrganizationIdError(organizationId) is { } error)
        {
            return Problems.BadRequest("organizationId is not valid.", new Dictionary<string, string[]> { ["organizationId"] = [IdRules.OrganizationIdError(request.OrganizationId)!] });
        }

        var key = await keys.IssueAsync(organizationId, cancellationToken);
        return new ApiResult(201, new { organizationId, key });
    }
}
