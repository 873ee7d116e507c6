namespace FunctionsSync.Core.Api;

public sealed class HealthApi(IStorageHealth storage, TimeProvider time)
{
    public async Task<ApiResult> GetAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        IReadOnlyDictionary<string, string> checks;
        try
        {
            checks = await storage.CheckAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            checks = new Dictionary<string, string> { ["storage"] = "timeout" };
        }

        var healthy = checks.Values.All(v => v == "ok");
        return new ApiResult(healthy ? 200 : 503, new { status = healthy ? "healthy" : "unhealthy", checks, time = time.GetUtcNow() });
    }
}
