using System.Net;
using System.Net.Sockets;

namespace FunctionsSync.Core.Outbound;

/// <summary>
/// Where the service may send a request to an address a client chose (a webhook target, a connection's
/// <c>settings.baseUrl</c>): http(s) only, and never loopback, private, link-local, CGNAT, metadata or otherwise
/// internal addresses (SSRF) unless the allow-list names the host (and, where an entry gives one, the path prefix: checked
/// when the address is registered, since the dialler sees only host and port). Checked when the address is registered and again
/// on every connection, against the address actually dialled (<see cref="ConnectAsync"/>), so DNS cannot smuggle an
/// internal address in later.
/// </summary>
public sealed class OutboundUrlPolicy(IReadOnlyCollection<string> allowedHosts, string purpose)
{
    /// <summary>Null when <paramref name="url"/> may be registered; otherwise why not.</summary>
    public string? Check(string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || url.Length > 2048 || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return "Must be an absolute URL.";
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            return "Must be an http or https URL.";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "Must not carry credentials.";
        }

        if (IsAllowListed(uri.IdnHost, uri.Port))
        {
            return entries.Any(e => e.Covers(uri.IdnHost, uri.Port) && e.Allows(uri.AbsolutePath)) ? null : "This host is allow-listed for other paths only.";
        }

        if (uri.IsLoopback || uri.IdnHost.Equals("localhost", StringComparison.OrdinalIgnoreCase) || uri.IdnHost.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return "Loopback targets are not allowed.";
        }

        return IPAddress.TryParse(uri.IdnHost, out var address) && IsInternal(address)
            ? "Private, link-local and other internal addresses are not allowed."
            : null;
    }

    /// <summary>Whether a connection to <paramref name="address"/> (resolved from <paramref name="host"/>) may be made.</summary>
    public bool MayConnect(string host, int port, IPAddress address) => IsAllowListed(host, port) || !IsInternal(address);

    /// <summary>A <see cref="SocketsHttpHandler.ConnectCallback"/>: resolves, keeps the addresses the policy allows, dials one.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var allowed = addresses.Where(a => MayConnect(host, context.DnsEndPoint.Port, a)).ToArray();
        if (allowed.Length == 0)
        {
            throw new OutboundRefusedException($"{host} resolves to an internal address; {purpose} must be public or allow-listed.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Whether an entry names the host (any port, or this one), whatever its path: what the dialler can check.</summary>
    private bool IsAllowListed(string host, int port) => entries.Any(e => e.Covers(host, port));

    private readonly IReadOnlyList<AllowEntry> entries = [.. allowedHosts.Select(AllowEntry.Parse)];

    /// <summary>An allow-list entry: <c>host</c>, <c>host:port</c>, either followed by a path prefix (<c>127.0.0.1:7080/shopify/</c>).</summary>
    private sealed record AllowEntry(string Host, int? Port, string? PathPrefix)
    {
        public static AllowEntry Parse(string entry)
        {
            var slash = entry.IndexOf('/', StringComparison.Ordinal);
            var authority = slash < 0 ? entry : entry[..slash];
            var path = slash < 0 ? null : entry[slash..];
            var colon = authority.LastIndexOf(':');
            return colon > 0 && int.TryParse(authority[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture, out var port)
                ? new AllowEntry(authority[..colon], port, path)
                : new AllowEntry(authority, null, path);
        }

        public bool Covers(string host, int port) => Host.Equals(host, StringComparison.OrdinalIgnoreCase) && (Port is null || Port == port);

        /// <summary>
        /// Without a path, every path; with one, what lies under it (<c>/etsy</c> covers <c>/etsy/v3</c>, not
        /// <c>/etsyx</c>), and never a path with an escaped dot, slash or backslash, which a server may decode into a
        /// way out of the prefix after this check.
        /// </summary>
        public bool Allows(string path) =>
            PathPrefix is null
            || (!EscapesOut(path) && path.StartsWith(PathPrefix, StringComparison.Ordinal)
                && (PathPrefix.EndsWith('/') || path.Length == PathPrefix.Length || path[PathPrefix.Length] == '/'));

        private static readonly string[] EscapedSeparators = ["%2e", "%2f", "%5c"];

        private static bool EscapesOut(string path) =>
            path.Contains('\\') || EscapedSeparators.Any(e => path.Contains(e, StringComparison.OrdinalIgnoreCase));
    }

    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            // Link-local, site-local (deprecated), unique local fc00::/7.
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || (bytes[0] & 0xFE) == 0xFC;
        }

        var b = address.GetAddressBytes();
        return b[0] switch
        {
            0 or 10 or 127 => true,
            100 => b[1] >= 64 && b[1] <= 127,   // carrier-grade NAT
            169 => b[1] == 254,                 // link-local, cloud metadata
            172 => b[1] >= 16 && b[1] <= 31,
            192 => b[1] == 168 || (b[1] == 0 && b[2] == 0),
            198 => b[1] is 18 or 19,            // benchmarking
            >= 224 => true,                     // multicast and reserved
            _ => false,
        };
    }
}
