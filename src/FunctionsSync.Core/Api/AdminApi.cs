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

        if (string.IsNullOrWhiteSpace(request.OrganizationId) || request.OrganizationId.Length > 128)
        {
            return Problems.BadRequest("organizationId is required.", new Dictionary<string, string[]> { ["organizationId"] = ["Required, at most 128 characters."] });
        }

        var key = await keys.IssueAsync(request.OrganizationId.Trim(), cancellationToken);
        return new ApiResult(201, new { organizationId = request.OrganizationId.Trim(), key });
    }
}
