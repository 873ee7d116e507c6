using System.Net;
using System.Net.Sockets;

namespace FunctionsSync.Core.Webhooks;

/// <summary>
/// Which targets a webhook may call: http(s) only, and never loopback, private, link-local or otherwise internal
/// addresses (SSRF) unless the allow-list names the host. Checked when an endpoint is created and again on every
/// connection, against the address actually dialled, so DNS cannot smuggle an internal address in later.
/// </summary>
public sealed class WebhookUrlPolicy(IReadOnlyCollection<string> allowedHosts)
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
            return null;
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

    private bool IsAllowListed(string host, int port) =>
        allowedHosts.Any(a => a.Equals(host, StringComparison.OrdinalIgnoreCase) || a.Equals($"{host}:{port}", StringComparison.OrdinalIgnoreCase));

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
