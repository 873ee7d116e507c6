using System.Text.Json;
using System.Threading.Channels;

namespace FunctionsSync.IntegrationTests.Infrastructure;

/// <summary>One server-sent event as a client reads it: <c>id:</c> is the stream's position, <c>data:</c> the event's JSON.</summary>
public sealed record SseMessage(string? Id, string Event, string Data)
{
    public JsonElement Json => JsonDocument.Parse(Data).RootElement.Clone();

    /// <summary>The event's own id, type, organization and body (what every event's data carries).</summary>
    public string EventId => Json.GetProperty("id").GetString()!;
    public string Organization => Json.GetProperty("organizationId").GetString()!;
    public JsonElement Body => Json.GetProperty("data");
}

/// <summary>
/// Reads <c>GET /api/events</c> as EventSource does (line by line, events at each blank line) on a background task,
/// so a test takes events one at a time with a deadline.
/// </summary>
public sealed class SseReader : IAsyncDisposable
{
    private readonly Channel<SseMessage> messages = Channel.CreateUnbounded<SseMessage>();
    private readonly CancellationTokenSource stop = new();
    private readonly Task pump;

    private SseReader(HttpResponseMessage response)
    {
        Response = response;
        pump = Task.Run(() => PumpAsync(response));
    }

    public HttpResponseMessage Response { get; }

    public static async Task<SseReader> OpenAsync(HttpClient client, string url = "/api/events", string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return new SseReader(response);
    }

    /// <summary>The next event, failing the test when none comes within <paramref name="timeout"/>.</summary>
    public async Task<SseMessage> NextAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            return await messages.Reader.ReadAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"no event within {timeout ?? TimeSpan.FromSeconds(30)}");
        }
        catch (ChannelClosedException)
        {
            throw new Xunit.Sdk.XunitException("the stream ended");
        }
    }

    /// <summary>Events until (and with) the first one <paramref name="last"/> accepts.</summary>
    public async Task<List<SseMessage>> UntilAsync(Func<SseMessage, bool> last, TimeSpan? timeout = null)
    {
        var list = new List<SseMessage>();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var remaining = deadline - DateTime.UtcNow;
            Assert.True(remaining > TimeSpan.Zero, $"condition not met after {list.Count} events: {string.Join(" ", list.Select(m => m.Event))}");
            var message = await NextAsync(remaining);
            list.Add(message);
            if (last(message))
            {
                return list;
            }
        }
    }

    private async Task PumpAsync(HttpResponseMessage response)
    {
        try
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));
            string? id = null, type = null;
            var data = new List<string>();
            while (await reader.ReadLineAsync(stop.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (type is not null || data.Count > 0)
                    {
                        await messages.Writer.WriteAsync(new SseMessage(id, type ?? "message", string.Join("\n", data)), stop.Token);
                    }

                    type = null;
                    data.Clear();
                    continue;
                }

                if (line.StartsWith(':'))
                {
                    continue;
                }

                var colon = line.IndexOf(':');
                var field = colon < 0 ? line : line[..colon];
                var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
                switch (field)
                {
                    case "id": id = value; break;
                    case "event": type = value; break;
                    case "data": data.Add(value); break;
                }
            }
        }
        catch (Exception) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            messages.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        Response.Dispose();
        await pump.ContinueWith(_ => { }, TaskScheduler.Default);
        stop.Dispose();
    }
}
