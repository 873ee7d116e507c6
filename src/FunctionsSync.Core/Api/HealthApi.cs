using FunctionsSync.Core.Access;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Core.Api;

/// <summary>
/// <c>GET /api/health</c>: each dependency checked at once and in parallel, within <see cref="ApiOptions.HealthTimeout"/>
/// (a load balancer's probe must not wait out the storage client's retries), each named with its state.
/// </summary>
public sealed class HealthApi(IStorageHealth storage, IOptions<ApiOptions> options, TimeProvider time)
{
    public async Task<ApiResult> GetAsync(CancellationToken cancellationToken)
    {
        var checks = await storage.CheckAsync(options.Value.HealthTimeout, cancellationToken);
        var healthy = checks.Values.All(v => v == IStorageHealth.Ok);
        return new ApiResult(healthy ? 200 : 503, new
        {
            status = healthy ? "healthy" : "unhealthy",
            checks,
            down = checks.Where(c => c.Value != IStorageHealth.Ok).Select(c => c.Key).Order().ToList(),
            time = time.GetUtcNow(),
        });
    }
}
