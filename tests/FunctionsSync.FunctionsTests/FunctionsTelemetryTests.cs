using FunctionsSync.Core.Telemetry;
using FunctionsSync.Functions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace FunctionsSync.FunctionsTests;

/// <summary>Azure Monitor export in the Functions app: on with an Application Insights connection string, off without.</summary>
public sealed class FunctionsTelemetryTests
{
    [Fact]
    public void The_meter_and_source_get_Azure_Monitor_providers_only_when_the_app_has_a_connection_string()
    {
        var without = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        without.AddAzureMonitorTelemetry();
        using (var app = without.Build())
        {
            Assert.Null(app.Services.GetService<MeterProvider>());
            Assert.Null(app.Services.GetService<TracerProvider>());
        }

        var with = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        with.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            // A key and an endpoint nobody listens on: the providers are built, nothing leaves the machine.
            [FunctionsTelemetry.ConnectionStringVariable] = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/",
        });
        with.AddAzureMonitorTelemetry();
        using var configured = with.Build();
        Assert.NotNull(configured.Services.GetService<MeterProvider>());
        Assert.NotNull(configured.Services.GetService<TracerProvider>());
        Assert.True(SyncTracing.Source.HasListeners(), "the FunctionsSync activity source has no listener");
    }

    [Fact]
    public void The_authentication_string_of_the_deployment_signs_in_as_the_managed_identity()
    {
        Assert.IsType<Azure.Identity.ManagedIdentityCredential>(FunctionsTelemetry.CredentialFor("ClientId=11111111-2222-3333-4444-555555555555;Authorization=AAD"));
        Assert.IsType<Azure.Identity.ManagedIdentityCredential>(FunctionsTelemetry.CredentialFor("Authorization=AAD"));
        Assert.Null(FunctionsTelemetry.CredentialFor(null));
        Assert.Null(FunctionsTelemetry.CredentialFor("ClientId=abc"));
    }
}
