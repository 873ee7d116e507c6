using System.Net;
using System.Net.Sockets;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FunctionsSync.FunctionsTests.Infrastructure;

/// <summary>
/// The backend Durable Functions uses by default, <see cref="AzureStorageOrchestrationService"/> on Azurite, behind the
/// test host's public gRPC sidecar (<see cref="TaskHubGrpcServer"/> on Kestrel, HTTP/2, a free port), with a Durable
/// Task worker and client connected to it: the app's functions run on the same engine as in Azure.
/// </summary>
public sealed class AzureStorageDurableHost : IAsyncDisposable
{
    private readonly WebApplication sidecar;
    private readonly IHost worker;
    private readonly GrpcChannel channel;

    private AzureStorageDurableHost(WebApplication sidecar, IHost worker, GrpcChannel channel)
    {
        this.sidecar = sidecar;
        this.worker = worker;
        this.channel = channel;
        Client = worker.Services.GetRequiredService<DurableTaskClient>();
    }

    public DurableTaskClient Client { get; }

    /// <param name="settings">The provider settings (task hub, partitions, lease and polling intervals).</param>
    public static async Task<AzureStorageDurableHost> StartAsync(AzureStorageOrchestrationServiceSettings settings, Action<DurableTaskRegistry> registry)
    {
        var service = new AzureStorageOrchestrationService(settings);
        await service.CreateIfNotExistsAsync();

        var port = FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<IOrchestrationService>(service);
        builder.Services.AddSingleton<IOrchestrationServiceClient>(service);
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        var sidecar = builder.Build();
        sidecar.MapGrpcService<TaskHubGrpcServer>();
        await sidecar.StartAsync();

        var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        var worker = Host.CreateDefaultBuilder()
            .ConfigureLogging(l => l.ClearProviders())
            .ConfigureServices(services =>
            {
                services.AddDurableTaskWorker(b =>
                {
                    b.UseGrpc(channel);
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
        return new AzureStorageDurableHost(sidecar, worker, channel);
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
