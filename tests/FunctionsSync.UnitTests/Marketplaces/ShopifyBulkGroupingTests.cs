using System.Text;
using System.Text.Json.Nodes;
using FunctionsSync.Core.Adapters;
using FunctionsSync.Marketplaces.Shopify;

namespace FunctionsSync.UnitTests.Marketplaces;

/// <summary>An ungrouped bulk file (nested lines anywhere, before or after their parent) comes out grouped and exact.</summary>
public sealed class ShopifyBulkGroupingTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"bulk-grouping-{Guid.NewGuid():N}");

    public ShopifyBulkGroupingTests() => Directory.CreateDirectory(folder);

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(10_000, 3)]
    public async Task Lines_in_any_order_come_out_each_parent_then_its_children_by_id(int parents, int seed)
    {
        var random = new Random(seed);
        var expected = new List<string>();
        var lines = new List<string>();
        for (var p = 0; p < parents; p++)
        {
            // Product ids out of order, as a shop's are once it has edits; 0 to 4 variants each.
            var productId = 7_000_000 + ((p * 7919L) % 100_003);
            var product = $$"""{"id":"gid://shopify/Product/{{productId}}","title":"p{{p}}"}""";
            expected.Add(product);
            lines.Add(product);
            var variants = Enumerable.Range(0, random.Next(5))
                .Select(v => $$"""{"id":"gid://shopify/ProductVariant/{{(productId * 10) + v}}","sku":"S{{p}}-{{v}}","__parentId":"gid://shopify/Product/{{productId}}"}""")
                .ToList();
            expected.AddRange(variants);
            lines.AddRange(variants);
        }

        // Parents keep their relative order; every nested line is moved anywhere at all.
        var shuffled = lines.Where(l => !l.Contains("__parentId", StringComparison.Ordinal)).ToList();
        foreach (var child in lines.Where(l => l.Contains("__parentId", StringComparison.Ordinal)).OrderBy(_ => random.Next()))
        {
            shuffled.Insert(random.Next(shuffled.Count + 1), child);
        }

        var (objects, grouped) = await GroupAsync(shuffled);
        Assert.Equal(parents, objects);
        Assert.Equal(expected, grouped);
        Assert.False(Directory.Exists(Path.Combine(folder, "scratch")));
    }

    [Fact]
    public async Task A_file_grouped_already_is_copied_as_it_is()
    {
        string[] lines =
        [
            """{"id":"gid://shopify/Order/9"}""",
            """{"id":"gid://shopify/LineItem/91","__parentId":"gid://shopify/Order/9"}""",
            """{"id":"gid://shopify/LineItem/92","__parentId":"gid://shopify/Order/9"}""",
            """{"id":"gid://shopify/Order/3"}""",
            """{"id":"gid://shopify/LineItem/31","__parentId":"gid://shopify/Order/3"}""",
        ];
        var (objects, grouped) = await GroupAsync(lines);
        Assert.Equal(2, objects);
        Assert.Equal(lines, grouped);

        // The same lines with one nested line out of id order are sorted.
        var (_, sorted) = await GroupAsync([lines[0], lines[2], lines[1], lines[3], lines[4]]);
        Assert.Equal(lines, sorted);
    }

    [Fact]
    public async Task A_nested_line_whose_parent_the_file_lacks_is_a_bad_response()
    {
        var ex = await Assert.ThrowsAsync<MarketplaceException>(() => GroupAsync(
            ["""{"id":"gid://shopify/Order/1"}""", """{"id":"gid://shopify/LineItem/9","__parentId":"gid://shopify/Order/2"}"""]));
        Assert.Equal(MarketplaceErrorKind.BadResponse, ex.Kind);
        Assert.Contains("gid://shopify/Order/2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_object_twice_is_a_bad_response()
    {
        var ex = await Assert.ThrowsAsync<MarketplaceException>(() => GroupAsync(["""{"id":"gid://shopify/Order/1"}""", """{"id":"gid://shopify/Order/1"}"""]));
        Assert.Equal(MarketplaceErrorKind.BadResponse, ex.Kind);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private async Task<(long Objects, List<string> Lines)> GroupAsync(IEnumerable<string> lines)
    {
        var source = Path.Combine(folder, "source.jsonl");
        await File.WriteAllTextAsync(source, string.Join('\n', lines) + "\n", new UTF8Encoding(false));
        using var target = new MemoryStream();
        var objects = await ShopifyBulkGrouping.GroupAsync(source, target, Path.Combine(folder, "scratch"), "test file", CancellationToken.None);
        var text = Encoding.UTF8.GetString(target.ToArray());
        var result = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        Assert.All(result, l => JsonNode.Parse(l));
        return (objects, result);
    }
}
