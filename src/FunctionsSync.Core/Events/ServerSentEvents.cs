using System.Text;

namespace FunctionsSync.Core.Events;

/// <summary>The <c>text/event-stream</c> wire format (WHATWG HTML, server-sent events) both hosts write.</summary>
public static class ServerSentEvents
{
    public const string ContentType = "text/event-stream";

    /// <summary>The reconnection delay a browser's EventSource waits, in milliseconds.</summary>
    public static string Retry(int milliseconds) => $"retry: {milliseconds}\n\n";

    /// <summary>An event whose <c>id:</c> is the stream's position (what the client sends back as <c>Last-Event-ID</c>).</summary>
    public static string Event(string type, string position, string json) =>
        new StringBuilder().Append("id: ").Append(position).Append("\nevent: ").Append(type).Append("\ndata: ").Append(json).Append("\n\n").ToString();

    /// <summary>The first event of every stream: it gives the client a position even when nothing has happened yet.</summary>
    public static string Ready(string position) => Event(LiveEventTypes.Ready, position, $"{{\"position\":\"{position}\"}}");

    public static string Heartbeat() => ": keep-alive\n\n";
}
