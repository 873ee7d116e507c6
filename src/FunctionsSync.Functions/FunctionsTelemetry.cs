using FunctionsSync.Core.Telemetry;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
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

        builder.Services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithMetrics(metrics => metrics.AddMeter(SyncMetrics.MeterName).AddAzureMonitorMetricExporter())
            .WithTracing(tracing => tracing.AddSource(SyncTracing.SourceName).AddAzureMonitorTraceExporter());
        return builder;
    }
}
