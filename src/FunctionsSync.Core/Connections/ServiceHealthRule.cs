namespace FunctionsSync.Core.Connections;

/// <summary>The service's health in <c>GET /api/sync/status</c>, from its connections.</summary>
public static class ServiceHealthRule
{
    /// <summary>healthy: none needs attention and none last failed; unhealthy: more than half last failed; otherwise degraded.</summary>
    public static string Of(int connections, int needingAttention, int lastFailed) =>
        needingAttention == 0 && lastFailed == 0 ? "healthy" : lastFailed * 2 > connections ? "unhealthy" : "degraded";
}
