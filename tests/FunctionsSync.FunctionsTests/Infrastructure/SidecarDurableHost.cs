using System.Net;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionsSync.FunctionsTests.Infrastructure;

/// <summary>
/// A Durable backend behind the test host's public gRPC sidecar (<see cref="TaskHubGrpcServer"/> on Kestrel, HTTP/2, a
/// free port), with a Durable Task worker and client connected to it. On <see cref="AzureStorageOrchestrationService"/>
/// (Azurite), the backend Durable Functions uses by default, the app's functions run on the same engine as in Azure;
/// on the test host's <see cref="InMemoryOrchestrationService"/> with a <see cref="HistoryMeter"/>, the benchmark sees
/// every history the worker replays.
/// </summary>
public sealed class SidecarDurableHost : IAsyncDisposable
{
    private readonly WebApplication sidecar;
    private readonly IHost worker;
    private readonly GrpcChannel channel;

    private SidecarDurableHost(WebApplication sidecar, IHost worker, GrpcChannel channel)
    {
        this.sidecar = sidecar;
        this.worker = worker;
        this.channel = channel;
        Client = worker.Services.GetRequiredService<DurableTaskClient>();
    }

    public DurableTaskClient Client { get; }

    /// <param name="settings">The provider settings (task hub, partitions, lease and polling intervals).</param>
    public static async Task<SidecarDurableHost> OnAzureStorageAsync(AzureStorageOrchestrationServiceSettings settings, Action<DurableTaskRegistry> registry)
    {
        var service = new AzureStorageOrchestrationService(settings);
        await service.CreateIfNotExistsAsync();
        return await StartAsync(service, service, registry, null);
    }

    /// <param name="concurrency">Orchestration and activity work items at once, as host.json's maxConcurrent* settings give a deployment.</param>
    public static async Task<SidecarDurableHost> InMemoryAsync(Action<DurableTaskRegistry> registry, int concurrency, HistoryMeter? meter = null)
    {
        var service = new InMemoryOrchestrationService(NullLoggerFactory.Instance);
        await service.CreateIfNotExistsAsync();
        return await StartAsync(new WorkItemConcurrency(service, concurrency, concurrency), service, registry, meter);
    }

    private static async Task<SidecarDurableHost> StartAsync(IOrchestrationService service, IOrchestrationServiceClient serviceClient, Action<DurableTaskRegistry> registry, HistoryMeter? meter)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // Port 0: Kestrel binds a free port itself and says which (a port picked and released here could be taken first).
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<IOrchestrationService>(service);
        builder.Services.AddSingleton(serviceClient);
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        var sidecar = builder.Build();
        sidecar.MapGrpcService<TaskHubGrpcServer>();
        await sidecar.StartAsync();

        var address = sidecar.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var channel = GrpcChannel.ForAddress(address);
        var worker = Microsoft.Extensions.Hosting.Host.CreateDefaultBuilder()
            .ConfigureLogging(l => l.ClearProviders())
            .ConfigureServices(services =>
            {
                services.AddDurableTaskWorker(b =>
                {
                    b.UseGrpc(o =>
                    {
                        o.Channel = channel;
                        if (meter is not null)
                        {
                            o.Interceptors.Add(meter);
                        }
                    });
                    b.AddTasks(registry);
                });
                services.AddDurableTaskClient(b =>
                {
                    b.UseGrpc(channel);
                    b.RegisterDirectly();
                });
            })
            .Build();
        await worker.StartAsync();
        return new SidecarDurableHost(sidecar, worker, channel);
    }

    public async ValueTask DisposeAsync()
    {
        await worker.StopAsync();
        worker.Dispose();
        await channel.ShutdownAsync();
        channel.Dispose();
        await sidecar.StopAsync();
        await sidecar.DisposeAsync();
    }
}
