using System.Text;
using System.Text.Json.Nodes;
using FunctionsSync.Simulator.Data;
using FunctionsSync.Simulator.Endpoints;

namespace FunctionsSync.Simulator.GraphQl;

/// <summary>
/// A bulk query's result as Shopify writes it: one JSON object per line, a nested connection's nodes on lines of their
/// own, each naming its parent in <c>__parentId</c>. Grouped (<c>groupObjects: true</c>), they follow their parent;
/// ungrouped (the default from 2026-01), they are scattered: some before their parent, some right after, some held back
/// past later objects (contracts/shopify/docs/changelog-bulk-groupObjects.md). Written once, when the operation
/// completes, to a file the download serves (so a resumed download gets the same bytes).
/// </summary>
internal static class ShopifyBulkFiles
{
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "functionssync-simulator", "bulk");

    public static (string File, long Objects, long Roots) Write(SimStore store, SimBulkOperation operation)
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
        var scatter = operation.Grouped ? null : new Scatter(writer, SimRandom.For(store.Config.Seed, 91, operation.Id));
        // Counted only when some are to be left out: the feed is walked twice then, once otherwise.
        var written = operation.DropObjects > 0 ? Math.Max(0, store.Feed(operation.Kind, query).Count() - operation.DropObjects) : int.MaxValue;
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
            var children = new List<string>();
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
                    children.Add(childLine.ToJsonString());
                }
            }

            objects += 1 + children.Count;
            if (parents > written)
            {
                // Counted, not written: the file is cut short though the operation completed.
                continue;
            }

            if (scatter is null)
            {
                writer.Write(line.ToJsonString());
                writer.Write('\n');
                children.ForEach(c => { writer.Write(c); writer.Write('\n'); });
            }
            else
            {
                scatter.Write(line.ToJsonString(), children);
            }
        }

        scatter?.Flush();
        return (path, objects, parents);
    }

    /// <summary>Writes an object's nested lines before it, after it or a few objects later, at random (seeded).</summary>
    private sealed class Scatter(StreamWriter writer, SimRandom random)
    {
        private const int MaxHeld = 64;
        private readonly List<string> held = [];
        private long draws;

        public void Write(string parent, IReadOnlyList<string> children)
        {
            var after = new List<string>();
            foreach (var child in children)
            {
                switch (random.Next(draws++).Int(0, 3))
                {
                    case 0:
                        Line(child);
                        break;
                    case 1:
                        after.Add(child);
                        break;
                    default:
                        held.Add(child);
                        break;
                }
            }

            Line(parent);
            after.ForEach(Line);
            // Release part of what was held back, so lines of earlier objects land among later ones.
            while (held.Count > 0 && (held.Count > MaxHeld || random.Next(draws++).Int(0, 2) == 0))
            {
                Line(held[0]);
                held.RemoveAt(0);
            }
        }

        public void Flush()
        {
            held.ForEach(Line);
            held.Clear();
        }

        private void Line(string text)
        {
            writer.Write(text);
            writer.Write('\n');
        }
    }

    private static FeedQuery FilterOf(string search) => ShopifyGraphQlEndpoints.FilterFor(search);
}
