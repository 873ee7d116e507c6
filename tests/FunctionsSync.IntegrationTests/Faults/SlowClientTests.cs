using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using FunctionsSync.IntegrationTests.Infrastructure;

namespace FunctionsSync.IntegrationTests.Faults;

/// <summary>
/// Clients that trickle a byte a second, against the self-hosted runtime on a real port: the request is cut off at the
/// configured header or body limit (<c>Api:RequestHeadersTimeout</c>, <c>Api:MinBodyBytesPerSecond</c> after
/// <c>Api:MinBodyRateGrace</c>), and meanwhile other requests are answered at once (no worker is held).
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class SlowClientTests(AzuriteFixture storage)
{
    [Fact]
    public async Task A_body_or_headers_sent_a_byte_a_second_are_cut_off_at_the_configured_limits_while_others_are_served()
    {
        await using var host = new HostApp(storage, "slowclient", new Dictionary<string, string?>
        {
            ["Api:RequestHeadersTimeout"] = "00:00:02",
            ["Api:MinBodyBytesPerSecond"] = "50",
            ["Api:MinBodyRateGrace"] = "00:00:02",
        });
        var address = new Uri(host.StartOnFreePort());
        using var other = new HttpClient { BaseAddress = address };

        var body = $"POST /api/connections HTTP/1.1\r\nHost: localhost\r\nX-Api-Key: {HostApp.AdminKey}\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n{{";
        var (bodyCut, bodyAnswer) = await TrickleAsync(address, body, headersFirst: true, other);
        Assert.True(bodyCut < TimeSpan.FromSeconds(15), $"the slow body held its connection {bodyCut.TotalSeconds:0} s");
        Assert.StartsWith("HTTP/1.1 408", bodyAnswer, StringComparison.Ordinal);

        var (headersCut, _) = await TrickleAsync(address, "GET /api/health HTTP/1.1\r\nHost: localhost\r\nX-Slow: 0123456789012345678901234567890123456789", headersFirst: false, other);
        Assert.True(headersCut < TimeSpan.FromSeconds(15), $"the slow headers held their connection {headersCut.TotalSeconds:0} s");
    }

    /// <summary>
    /// Sends <paramref name="request"/> a byte a second (after its headers at once, with <paramref name="headersFirst"/>)
    /// until the server closes the connection; between bytes, another client's request must be answered. Returns how
    /// long the connection lasted and what the server answered.
    /// </summary>
    private static async Task<(TimeSpan Lasted, string Answer)> TrickleAsync(Uri address, string request, bool headersFirst, HttpClient other)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        var stream = tcp.GetStream();
        var bytes = Encoding.ASCII.GetBytes(request);
        var at = 0;
        if (headersFirst)
        {
            at = request.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
            await stream.WriteAsync(bytes.AsMemory(0, at));
        }

        var started = Stopwatch.StartNew();
        var answer = new StringBuilder();
        var reading = ReadUntilClosedAsync(stream, answer);
        while (!reading.IsCompleted && started.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                await stream.WriteAsync(bytes.AsMemory(at++ % bytes.Length, 1));
            }
            catch (IOException)
            {
                break;
            }

            using var served = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/health", served.Token)).StatusCode);
            // The scenario's pace: one byte a second.
            await Outage.BetweenChecksAsync();
        }

        await reading.WaitAsync(TimeSpan.FromSeconds(10));
        return (started.Elapsed, answer.ToString());
    }

    private static async Task ReadUntilClosedAsync(NetworkStream stream, StringBuilder answer)
    {
        var buffer = new byte[4096];
        try
        {
            while (await stream.ReadAsync(buffer) is var read and > 0)
            {
                answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        catch (IOException)
        {
            // Reset by the server: closed too.
        }
    }
}
