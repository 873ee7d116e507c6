using System.Text;
using System.Text.Json.Nodes;
using FunctionsSync.Simulator.Data;
using FunctionsSync.Simulator.Endpoints;

namespace FunctionsSync.Simulator.GraphQl;

/// <summary>
/// A bulk query's result as Shopify writes it: one JSON object per line, a nested connection's nodes on lines of their
/// own after their parent, each naming it in <c>__parentId</c>. Written once, when the operation completes, to a file
/// the download serves (so a resumed download gets the same bytes).
/// </summary>
internal static class ShopifyBulkFiles
{
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "functionssync-simulator", "bulk");

    public static (string File, long Objects) Write(SimStore store, SimBulkOperation operation)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, $"{Guid.NewGuid():N}-{operation.Id}.jsonl");
        var root = operation.Root;
        var node = root.Selection.FirstOrDefault(s => s.Name == "edges")?.Selection.FirstOrDefault(s => s.Name == "node")
            ?? root.Selection.FirstOrDefault(s => s.Name == "nodes")
            ?? throw new GqlException("A bulk query selects edges { node { … } } of its connection.");
        var own = node.Selection.Where(f => !ShopifyGraphQlNodes.Connections.Contains(f.Name)).ToList();
        var nested = node.Selection.Where(f => ShopifyGraphQlNodes.Connections.Contains(f.Name)).ToList();
        var query = root.Argument("query") is string search ? FilterOf(search) : new FeedQuery(null, false, null);
        long objects = 0;
        var parents = 0;
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        foreach (var at in store.Feed(operation.Kind, query))
        {
            if (operation.FailAfterObjects > 0 && parents >= operation.FailAfterObjects)
            {
                break;
            }

            var full = ShopifyGraphQlNodes.Render(store, operation.Kind, at);
            var cost = 0;
            var line = ShopifyGraphQlNodes.Project(full, own, ref cost);
            line["id"] ??= full["id"]!.DeepClone();
            writer.Write(line.ToJsonString());
            writer.Write('\n');
            objects++;
            parents++;
            foreach (var connection in nested)
            {
                var childSelection = connection.Selection.FirstOrDefault(s => s.Name == "edges")?.Selection.FirstOrDefault(s => s.Name == "node")?.Selection
                    ?? connection.Selection.FirstOrDefault(s => s.Name == "nodes")?.Selection
                    ?? [];
                foreach (var child in (full[connection.Name] as JsonArray ?? []).OfType<JsonObject>())
                {
                    var childLine = ShopifyGraphQlNodes.Project(child, childSelection, ref cost);
                    childLine["__parentId"] = full["id"]!.DeepClone();
                    writer.Write(childLine.ToJsonString());
                    writer.Write('\n');
                    objects++;
                }
            }
        }

        return (path, objects);
    }

    private static FeedQuery FilterOf(string search) => ShopifyGraphQlEndpoints.FilterFor(search);
}
