using FunctionsSync.Core.Access;
using FunctionsSync.Core.Api;
using FunctionsSync.Core.Connections;

namespace FunctionsSync.Core.Conflicts;

/// <summary>The <c>/api/conflicts</c> routes.</summary>
public sealed class ConflictsApi(IConflictStore store, ConflictResolver resolver, ConnectionAccess access)
{
    private const int DefaultPageSize = 50;
    private const int MaxPageSize = 200;

    public async Task<ApiResult<ConflictPageView>> ListAsync(
        ApiCaller caller, string? organizationId, string? connectionId, string? status, int? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        ConflictStatus? wanted = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (ApiJson.TryParseWireName<ConflictStatus>(status, out var parsed))
            {
                wanted = parsed;
            }
            else
            {
                errors["status"] = ["Must be open, retrying, resolved or skipped."];
            }
        }

        if (pageSize is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"Must be between 1 and {MaxPageSize}."];
        }

        if (errors.Count > 0)
        {
            return Problems.BadRequest("The query is not valid.", errors);
        }

        if (!caller.TryScope(organizationId, out var scope))
        {
            return ApiResult.Ok(new ConflictPageView([], null));
        }

        if (connectionId is not null && await access.FindAsync(caller, connectionId, cancellationToken) is null)
        {
            return ConnectionAccess.NotFound(connectionId);
        }

        try
        {
            var page = await store.ListAsync(new ConflictQuery(scope, connectionId, wanted, pageSize ?? DefaultPageSize, continuationToken), cancellationToken);
            return ApiResult.Ok(new ConflictPageView([.. page.Items.Select(ConflictView.From)], page.ContinuationToken));
        }
        catch (FormatException)
        {
            return Problems.BadContinuation();
        }
    }

    public async Task<ApiResult<ConflictView>> GetAsync(ApiCaller caller, string id, CancellationToken cancellationToken) =>
        await FindAsync(caller, id, cancellationToken) is { } conflict ? ApiResult.Ok(ConflictView.From(conflict)) : NotFound(id);

    public async Task<ApiResult<ConflictView>> ResolveAsync(ApiCaller caller, string id, string? body, CancellationToken cancellationToken)
    {
        if (await FindAsync(caller, id, cancellationToken) is not { } conflict)
        {
            return NotFound(id);
        }

        if (!ApiJson.TryRead<ResolveConflictRequest>(body, out var request, out var problem))
        {
            return problem;
        }

        if (request.Resolution is not { } resolution || (request.Note?.Length ?? 0) > 1000)
        {
            return Problems.BadRequest("The resolution is not valid.", new Dictionary<string, string[]>
            {
                [request.Resolution is null ? "resolution" : "note"] = request.Resolution is null
                    ? ["Required: accept_source, keep_target, retry or skip."]
                    : ["At most 1000 characters."],
            });
        }

        var result = await resolver.ResolveAsync(conflict, resolution, caller.Actor, request.Note, cancellationToken);
        return result.Refusal is { } refusal
            ? result.RefusalIsConflict ? Problems.Conflict(refusal) : Problems.Unprocessable(refusal)
            : ApiResult.Ok(ConflictView.From(result.Conflict!));
    }

    private async Task<Conflict?> FindAsync(ApiCaller caller, string id, CancellationToken cancellationToken) =>
        ConflictTypes.TryParseId(id, out _) && await store.GetAsync(id, cancellationToken) is { } conflict && caller.CanSee(conflict.OrganizationId) ? conflict : null;

    private static ApiResult NotFound(string id) => Problems.NotFound($"Conflict {id} does not exist.");
}
