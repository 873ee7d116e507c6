using System.Globalization;
using System.Text.Json.Nodes;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Simulator.Data;

namespace FunctionsSync.IntegrationTests;

/// <summary>
/// From Admin API 2026-01 a bulk file is ungrouped: a variant or line item may come before its product or order, or
/// well after it (contracts/shopify/docs/changelog-bulk-groupObjects.md). Every nested line still lands on its own
/// parent, exactly as the simulator holds it; a connection on 2025-04 (before `groupObjects`, always grouped) reads the same.
/// </summary>
[Collection(QuietCollection.Name)]
public sealed class ShopifyUngroupedBulkTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    [Theory]
    [InlineData("2026-01", false)]
    [InlineData("2026-04", false)]
    [InlineData("2025-04", true)]
    public async Task Every_variant_and_order_line_lands_on_its_own_parent(string apiVersion, bool grouped)
    {
        var storeId = "gql-scatter-" + apiVersion;
        await using var harness = new SyncHarness(storage, simulator, "gqlsc" + apiVersion.Replace("-", "", StringComparison.Ordinal));
        var (connection, store) = await harness.AddStoreAsync(
            MarketplaceNames.Shopify, storeId, new SimStoreConfig { Orders = 1_200, Products = 900, Customers = 50, Seed = 31 },
            settings: new Dictionary<string, string> { ["apiVersion"] = apiVersion });

        var full = await harness.Syncer.RunAsync(new SyncRequest(connection.Id, SyncMode.Full), CancellationToken.None);
        Assert.True(full.Run!.Status == RunStatus.Succeeded, full.Run.Error);

        // The simulator's files are as the version says: scattered (children before and after parents) or grouped.
        var files = store.BulkOperations.Values.Where(o => o.Kind is SimKind.Orders or SimKind.Products).Select(o => o.File!).ToList();
        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.Equal(!grouped, ChildBeforeParent(f) && ChildAfterAnotherParent(f)));

        var snapshot = await harness.SnapshotAsync(connection.Id);
        foreach (var type in EntityTypes.All)
        {
            Expected.Matches(Expected.For(store, type), snapshot[type], $"shopify {type.ToWire()} ({apiVersion})");
        }

        Expected.LinesMatch(Expected.ShopifyLines(store), snapshot[EntityType.Orders], $"shopify order lines ({apiVersion})");
        var variants = Expected.Variants(store);
        var stored = snapshot[EntityType.Products].ToDictionary(
            p => p.Key,
            p => string.Join(";", ((ProductRecord)p.Value.Record).Inventory.Select(i => $"{i.Sku}={i.Available.ToString(CultureInfo.InvariantCulture)}")));
        var wrong = variants.Where(v => stored.GetValueOrDefault(v.Key) != v.Value).Take(3).Select(v => $"{v.Key}: want [{v.Value}], got [{stored.GetValueOrDefault(v.Key)}]").ToList();
        Assert.True(wrong.Count == 0, $"variants on the wrong product: {string.Join("; ", wrong)}");
    }

    /// <summary>Some nested line comes before the object it names.</summary>
    private static bool ChildBeforeParent(string file)
    {
        var seen = new HashSet<string>();
        foreach (var line in File.ReadLines(file))
        {
            var node = JsonNode.Parse(line)!.AsObject();
            if (node["__parentId"] is { } parent && !seen.Contains(parent.GetValue<string>()))
            {
                return true;
            }

            if (node["__parentId"] is null)
            {
                seen.Add(node["id"]!.GetValue<string>());
            }
        }

        return false;
    }

    /// <summary>Some nested line comes after an object other than its own (a grouped file never has one).</summary>
    private static bool ChildAfterAnotherParent(string file)
    {
        string? last = null;
        foreach (var line in File.ReadLines(file))
        {
            var node = JsonNode.Parse(line)!.AsObject();
            if (node["__parentId"] is { } parent)
            {
                if (last is not null && parent.GetValue<string>() != last)
                {
                    return true;
                }
            }
            else
            {
                last = node["id"]!.GetValue<string>();
            }
        }

        return false;
    }
}
