using FunctionsSync.Core.Api;


namespace FunctionsSync.Core.Access;

/// <summary><c>/api/admin/keys</c>: organization keys, issued, listed and revoked by the admin key only.</summary>
public sealed class AdminApi(IApiKeyStore keys)
{
    /// <summary><c>POST /api/admin/keys</c>: issues an organization key; it is shown once.</summary>
    public async Task<ApiResult<IssuedKeyView>> IssueKeyAsync(ApiCaller caller, string? body, CancellationToken cancellationToken)
    {
        if (!caller.IsAdmin)
        {
            return Problems.Forbidden("Only the admin key issues organization keys.");
        }

        if (!ApiJson.TryRead<IssueKeyRequest>(body, out var request, out var problem))
        {
            return problem;
        }

        if (IdRules.OrganizationIdError(request.OrganizationId) is { } error)
        {
            return Problems.BadRequest("organizationId is not valid.", new Dictionary<string, string[]> { ["organizationId"] = [error] });
        }

        var issued = await keys.IssueAsync(request.OrganizationId!, cancellationToken);
        return ApiResult.Created(new IssuedKeyView(issued.Id, request.OrganizationId!, issued.Key));
    }

    /// <summary><c>GET /api/admin/keys[?organizationId=]</c>: ids, organizations, creation and last use; never the secrets.</summary>
    public async Task<ApiResult<ApiKeyList>> ListKeysAsync(ApiCaller caller, string? organizationId, CancellationToken cancellationToken)
    {
        if (!caller.IsAdmin)
        {
            return Problems.Forbidden("Only the admin key lists organization keys.");
        }

        if (organizationId is not null && IdRules.OrganizationIdError(organizationId) is { } error)
        {
            return Problems.BadRequest("organizationId is not valid.", new Dictionary<string, string[]> { ["organizationId"] = [error] });
        }

        return ApiResult.Ok(new ApiKeyList([.. (await keys.ListAsync(organizationId, cancellationToken)).OrderBy(k => k.CreatedAt)]));
    }

    /// <summary><c>DELETE /api/admin/keys/{id}</c>: the key is refused from the next request on, on every replica.</summary>
    public async Task<ApiResult<NoBody>> RevokeKeyAsync(ApiCaller caller, string keyId, CancellationToken cancellationToken)
    {
        if (!caller.IsAdmin)
        {
            return Problems.Forbidden("Only the admin key revokes organization keys.");
        }

        var known = keyId.Length is > 0 and <= 64 && keyId.All(char.IsAsciiLetterOrDigit) && await keys.RevokeAsync(keyId, cancellationToken);
        return known ? ApiResult.NoContent : Problems.NotFound($"Key {Problems.Printable(keyId)} does not exist.");
    }
}

public sealed record IssuedKeyView(string Id, string OrganizationId, string Key);

public sealed record ApiKeyList(IReadOnlyList<ApiKeyInfo> Keys);
