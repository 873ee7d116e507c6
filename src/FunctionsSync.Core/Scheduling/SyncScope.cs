using FunctionsSync.Core.Access;
using FunctionsSync.Core.Api;

namespace FunctionsSync.Core.Scheduling;

/// <summary>
/// Which connections a trigger or full cycle covers, named explicitly: <c>connectionIds</c>, an <c>organizationId</c>
/// or <c>"all": true</c>. An empty body used to mean every connection of every organization; a typo must not start
/// thousands of runs. An organization key's <c>all</c> is its own organization.
/// </summary>
public static class SyncScope
{
    /// <param name="organizationId">The organization the request covers; null for every organization (an admin's <c>all</c>).</param>
    public static bool TryResolve(ApiCaller caller, bool hasConnectionIds, string? requestedOrganization, bool? all, out string? organizationId, out ApiResult? problem)
    {
        organizationId = null;
        problem = null;
        var named = (hasConnectionIds ? 1 : 0) + (requestedOrganization is null ? 0 : 1) + (all == true ? 1 : 0);
        if (named != 1)
        {
            problem = Problems.BadRequest(
                named == 0
                    ? "Name what to sync: connectionIds, organizationId or \"all\": true."
                    : "Name one scope only: connectionIds, organizationId or \"all\": true.",
                new Dictionary<string, string[]> { ["scope"] = ["exactly one of connectionIds, organizationId, all: true"] });
            return false;
        }

        if (requestedOrganization is not null && IdRules.OrganizationIdError(requestedOrganization) is { } error)
        {
            problem = Problems.BadRequest("organizationId is not valid.", new Dictionary<string, string[]> { ["organizationId"] = [error] });
            return false;
        }

        if (all == true)
        {
            organizationId = caller.IsAdmin ? null : caller.OrganizationId;
            return true;
        }

        if (requestedOrganization is not null && !caller.IsAdmin && requestedOrganization != caller.OrganizationId)
        {
            problem = Problems.NotFound($"Organization {requestedOrganization} has no connections.");
            return false;
        }

        organizationId = requestedOrganization;
        return true;
    }
}
