using FunctionsSync.Core.Access;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Core.Api;

/// <summary>
/// <c>GET /api/health</c>: each dependency checked at once and in parallel, within <see cref="ApiOptions.HealthTimeout"/>
/// (a load balancer's probe must not wait out the storage client's retries), each named with its state.
/// </summary>
public sealed class HealthApi(IStorageHealth storage, IOptions<ApiOptions> options, TimeProvider time)
{
    public async Task<ApiResult<HealthView>> GetAsync(CancellationToken cancellationToken)
    {
        var checks = await storage.CheckAsync(options.Value.HealthTimeout, cancellationToken);
        var healthy = checks.Values.All(v => v == IStorageHealth.Ok);
        var view = new HealthView(healthy ? "healthy" : "unhealthy", checks, [.. checks.Where(c => c.Value != IStorageHealth.Ok).Select(c => c.Key).Order()], time.GetUtcNow());
        return healthy ? ApiResult.Ok(view) : ApiResult.Unavailable(view);
    }
}

/// <param name="Checks">Each dependency by name: <c>ok</c>, or what is wrong with it.</param>
/// <param name="Down">The dependencies not <c>ok</c>, by name.</param>
public sealed record HealthView(string Status, IReadOnlyDictionary<string, string> Checks, IReadOnlyList<string> Down, DateTimeOffset Time);
