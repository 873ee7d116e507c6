using Azure.Core;

namespace FunctionsSync.Storage.Tables;

/// <summary>
/// A storage request's shape without its keys: <c>GET syncstate point</c>, <c>GET syncstate query</c>,
/// <c>POST $batch resource</c>, <c>GET {queue} messages</c>. Path style (<c>/{account}/…</c>, Azurite) and host style
/// (<c>{account}.table.core.windows.net/…</c>) give the same shape; the deployment's table prefix is left out.
/// </summary>
public static class StorageRequestShape
{
    public static string Of(Request request, string prefix = "")
    {
        var path = request.Uri.Path.Trim('/');
        var segments = path.Split('/');
        // Azurite (and the emulator convention) puts the account first: 127.0.0.1:10002/devstoreaccount1/table.
        var first = request.Uri.Host is "127.0.0.1" or "localhost" && segments.Length > 1 ? 1 : 0;
        var resource = segments.Length > first ? segments[first] : "";
        var rest = segments.Length > first + 1 ? segments[first + 1] : "";
        var paren = resource.IndexOf('(');
        var name = paren < 0 ? resource : resource[..paren];
        var kind = paren < 0
            ? rest.Length > 0 ? rest : "resource"
            : resource.AsSpan(paren).Length > 2 ? "point" : "query";
        // The table's prefix (one per deployment or bench cycle) is not part of the shape.
        var logical = prefix.Length > 0 && name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? name[prefix.Length..] : name;
        return $"{request.Method} {logical} {kind}";
    }
}
