using System.Globalization;
using System.Text.Json;
using FunctionsSync.Marketplaces.Http;

namespace FunctionsSync.Marketplaces.Shopify;

/// <summary>
/// A bulk operation as <c>node(id:)</c> answers it (<see cref="ShopifyGraphQlQueries.BulkStatus"/>): its status, and
/// once <c>COMPLETED</c> its file (none when the query matched nothing) and <c>rootObjectCount</c>, the file's
/// top-level objects. <c>fileSize</c> and <c>rootObjectCount</c> are <c>UnsignedInt64</c>, sent as strings
/// (contracts/shopify/admin_2026-01.json.gz, <c>BulkOperation</c>).
/// </summary>
internal sealed record ShopifyBulkStatus(string? State, Uri? Url, long? FileSize, long? Roots, string? ErrorCode)
{
    /// <summary>Not yet ended (<c>BulkOperationStatus</c>: <c>CREATED</c>, <c>RUNNING</c>; the others are final or on their way to it).</summary>
    public bool Running => State is "CREATED" or "RUNNING";

    public static ShopifyBulkStatus Of(JsonElement node) => new(
        node.OptStr("status"),
        Uri.TryCreate(node.OptStr("url"), UriKind.Absolute, out var url) ? url : null,
        Count(node, "fileSize"),
        Count(node, "rootObjectCount"),
        node.OptStr("errorCode"));

    private static long? Count(JsonElement node, string name) =>
        long.TryParse(node.OptStr(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
