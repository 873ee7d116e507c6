using FunctionsSync.Core;
using FunctionsSync.Core.Telemetry;
using FunctionsSync.Marketplaces;
using FunctionsSync.Storage;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace FunctionsSync.Hosting;

public static class FunctionsSyncHostBuilderExtensions
{
    /// <summary>The variable the OpenTelemetry exporters read; when it is set, metrics and traces are exported by OTLP.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// Everything FunctionsSync needs, for any host: the sync engine, the API handlers, Table/Queue storage and the
    /// marketplace adapters. <c>FunctionsApplicationBuilder</c> is an <see cref="IHostApplicationBuilder"/> too.
    /// </summary>
    public static IHostApplicationBuilder AddFunctionsSync(this IHostApplicationBuilder builder)
    {
        builder.Services
            .AddFunctionsSyncCore()
            .AddFunctionsSyncApi()
            .AddFunctionsSyncStorage()
            .AddFunctionsSyncMarketplaces();
        builder.AddFunctionsSyncTelemetry();
        return builder;
    }

    /// <summary>
    /// The <c>FunctionsSync</c> meter and activity source through OpenTelemetry, exported by OTLP when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the exporter reads its other <c>OTEL_*</c> variables itself).
    /// Without it nothing is collected beyond what a <c>MeterListener</c> (dotnet-counters, a test) asks for.
    /// </summary>
    public static IHostApplicationBuilder AddFunctionsSyncTelemetry(this IHostApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]))
        {
            return builder;
        }

        builder.AddOpenTelemetry()
            .WithMetrics(metrics => metrics.AddMeter(SyncMetrics.MeterName).AddOtlpExporter())
            .WithTracing(tracing => tracing.AddSource(SyncTracing.SourceName).AddOtlpExporter());
        return builder;
    }
}
