using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace FunctionsSync.IntegrationTests.Infrastructure;

/// <summary>
/// A TCP relay in front of one port that can be shut at an instant: once <see cref="Hold"/> is called, no byte read
/// afterwards from either side is passed on (connections stay open, so the caller hangs as on a network that stopped
/// answering). Lets a test cut a child process off from storage at the exact moment something else happens.
/// </summary>
public sealed partial class TcpGate : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly int target;
    private readonly CancellationTokenSource stopping = new();
    private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<TcpClient> clients = [];
    private volatile bool held;
    private volatile Func<string, bool>? holdBefore;

    private TcpGate(int target)
    {
        this.target = target;
        listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>From now on nothing passes, until <see cref="DisposeAsync"/>.</summary>
    public void Hold() => held = true;

    public bool IsHeld => held;

    /// <summary>
    /// From now on, the first bytes sent towards the target that <paramref name="request"/> recognises (the start of a
    /// request, as text) are not passed on, and the gate holds from there: everything before it went through.
    /// </summary>
    public void HoldBefore(Func<string, bool> request) => holdBefore = request;

    /// <summary>
    /// One gate per endpoint of an Azurite connection string, and the connection string that goes through them.
    /// </summary>
    public static (string ConnectionString, IReadOnlyList<TcpGate> Gates) Around(string connectionString)
    {
        var gates = new List<TcpGate>();
        var rewritten = EndpointPort().Replace(connectionString, match =>
        {
            var gate = new TcpGate(int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture));
            gates.Add(gate);
            return $"{match.Groups["head"].Value}{gate.Port}";
        });
        return (rewritten, gates);
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        released.TrySetResult();
        listener.Stop();
        lock (clients)
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }

        stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await listener.AcceptTcpClientAsync(stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var outbound = new TcpClient();
            lock (clients)
            {
                clients.Add(inbound);
                clients.Add(outbound);
            }

            _ = RelayAsync(inbound, outbound);
        }
    }

    private async Task RelayAsync(TcpClient inbound, TcpClient outbound)
    {
        try
        {
            await outbound.ConnectAsync(IPAddress.Loopback, target, stopping.Token);
            await Task.WhenAny(PumpAsync(inbound.GetStream(), outbound.GetStream(), upstream: true), PumpAsync(outbound.GetStream(), inbound.GetStream(), upstream: false));
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            inbound.Dispose();
            outbound.Dispose();
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, bool upstream)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var read = await from.ReadAsync(buffer, stopping.Token);
            if (read == 0)
            {
                return;
            }

            if (upstream && holdBefore is { } recognise && recognise(System.Text.Encoding.UTF8.GetString(buffer, 0, read)))
            {
                held = true;
            }

            if (held)
            {
                // Swallowed: the sender waits for an answer that never comes.
                await released.Task.WaitAsync(stopping.Token);
                return;
            }

            await to.WriteAsync(buffer.AsMemory(0, read), stopping.Token);
        }
    }

    [GeneratedRegex(@"(?<head>Endpoint=http://127\.0\.0\.1:)(?<port>\d+)")]
    private static partial Regex EndpointPort();
}
