using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Storage.Tables;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.IntegrationTests.Storage;

/// <summary>The due index against Azurite: what a reader keeps, returns and drops.</summary>
[Collection(QuietCollection.Name)]
public sealed class DueIndexContractTests(AzuriteFixture storage)
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task An_entry_whose_item_save_is_still_on_its_way_survives_a_read_and_an_old_stale_one_is_dropped()
    {
        await using var services = StorageServices.Create(storage, StorageServices.NewPrefix("cdue"));
        var index = new DueIndex(services.GetRequiredService<TableProvider>(), "contract");
        // Items by key: the time each is due at (null: not due). "fresh" is due now by its entry, but its save has not
        // landed yet: the reader still finds it settled.
        var items = new Dictionary<string, DateTimeOffset?> { ["due"] = Now.AddMinutes(-5), ["fresh"] = null, ["old"] = null };
        await index.AddAsync(Now.AddMinutes(-5), "due", CancellationToken.None);
        await index.AddAsync(Now, "fresh", CancellationToken.None);
        await index.AddAsync(Now - DueIndex.SaveInFlight - TimeSpan.FromSeconds(1), "old", CancellationToken.None);

        var found = await ReadAsync(index, items);
        Assert.Equal(["due"], found);
        Assert.Equal(["due", "fresh"], (await index.ListDueAsync(Now, 10, CancellationToken.None)).Select(e => e.ItemKey).Order());

        // The save lands: the next read returns it under the entry written before it.
        items["fresh"] = Now;
        Assert.Equal(["due", "fresh"], (await ReadAsync(index, items)).Order());
    }

    private static async Task<List<string>> ReadAsync(DueIndex index, Dictionary<string, DateTimeOffset?> items) =>
        [.. (await index.ReadDueAsync(Now, 10, (key, _) => Task.FromResult<string?>(key), key => items[key], CancellationToken.None)).Select(e => e.ItemKey)];
}
