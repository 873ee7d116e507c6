using FunctionsSync.Core.Telemetry;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace FunctionsSync.Functions;

/// <summary>
/// In Azure: the <c>FunctionsSync</c> meter and activity source exported to Application Insights (Azure Monitor) when
/// the app has <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c>, with the Functions worker's own resource attributes and
/// invocation spans. OTLP (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>) is the shared registration's and works beside it.
/// </summary>
public static class FunctionsTelemetry
{
    public const string ConnectionStringVariable = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    public static IHostApplicationBuilder AddAzureMonitorTelemetry(this IHostApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration[ConnectionStringVariable]))
        {
            return builder;
        }

        // The deployed Application Insights refuses keys (DisableLocalAuth in infra/main.bicep): the exporter signs in
        // as the app's managed identity, which APPLICATIONINSIGHTS_AUTHENTICATION_STRING names ("ClientId=…;Authorization=AAD").
        var credential = CredentialFor(builder.Configuration[AuthenticationStringVariable]);
        builder.Services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithMetrics(metrics => metrics.AddMeter(SyncMetrics.MeterName).AddAzureMonitorMetricExporter(o => o.Credential = credential))
            .WithTracing(tracing => tracing.AddSource(SyncTracing.SourceName).AddAzureMonitorTraceExporter(o => o.Credential = credential));
        return builder;
    }

    public const string AuthenticationStringVariable = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <summary>A managed-identity credential when the authentication string asks for Entra ID (AAD); null: the connection string's key.</summary>
    public static TokenCredential? CredentialFor(string? authenticationString)
    {
        var parts = (authenticationString ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("Authorization", out var kind) || !string.Equals(kind, "AAD", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return parts.TryGetValue("ClientId", out var clientId) && clientId.Length > 0
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);
    }
}
