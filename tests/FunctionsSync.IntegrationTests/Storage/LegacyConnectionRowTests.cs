using System.Text.Json.Nodes;
using Azure.Data.Tables;
using FunctionsSync.Core.Connections;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Storage.Connections;
using FunctionsSync.Storage.Secrets;
using FunctionsSync.Storage.Tables;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.IntegrationTests.Storage;

/// <summary>
/// A connection row as earlier releases wrote it: under the row key every connection shared (<c>connection</c>), and
/// before that with its secrets and sync token in its JSON. It still reads, lists and authenticates; the re-wrap pass,
/// or any update, moves it under its own row key with nothing left in the clear.
/// </summary>
[Collection(QuietCollection.Name)]
public sealed class LegacyConnectionRowTests(AzuriteFixture storage)
{
    [Fact]
    public async Task A_plain_row_reads_authenticates_and_is_rewritten_without_its_secrets()
    {
        await using var services = StorageServices.Create(storage, StorageServices.NewPrefix("legacyrow"));
        var store = services.GetRequiredService<IConnectionStore>();
        var registered = (await store.RegisterAsync(
            new ConnectionRegistration("org-legacy", "shopify", "legacy-store", "legacy", new Dictionary<string, string> { ["accessToken"] = "shpat_legacy_plain" }), CancellationToken.None)).Connection;
        var table = await services.GetRequiredService<TableProvider>().GetAsync(TableNames.Connections, CancellationToken.None);

        // The row as the previous release wrote it: everything in its JSON, the token plain, no Secrets column.
        const string token = "st_legacy0123456789";
        var entity = await table.GetEntityAsync<TableEntity>(TableKeys.Encode(registered.Id), ConnectionRows.ConnectionRow(registered.Id));
        var json = JsonNode.Parse(entity.Value.GetString("Json"))!.AsObject();
        json.Remove("syncTokenHash");
        json["syncToken"] = token;
        json["credentials"] = new JsonObject { ["accessToken"] = "shpat_legacy_plain" };
        var legacy = new TableEntity(entity.Value.PartitionKey, ConnectionRows.LegacyConnectionRow) { ["OrganizationId"] = "org-legacy", ["Marketplace"] = "shopify", ["Json"] = json.ToJsonString() };
        await table.AddEntityAsync(legacy);
        await table.DeleteEntityAsync(entity.Value.PartitionKey, entity.Value.RowKey);
        await table.UpsertEntityAsync(new TableEntity(ConnectionRows.TokenPartition(ConnectionIds.HashSyncToken(token)), ConnectionRows.TokenRow) { ["ConnectionId"] = registered.Id });

        var read = (await store.GetAsync(registered.Id, CancellationToken.None))!;
        Assert.Equal("shpat_legacy_plain", read.Credential("accessToken"));
        Assert.Equal(ConnectionIds.HashSyncToken(token), read.SyncTokenHash);
        Assert.Equal(registered.Id, (await store.FindBySyncTokenAsync(token, CancellationToken.None))?.Id);

        Assert.Equal([registered.Id], (await store.ListAsync(null, CancellationToken.None)).Select(c => c.Id));

        Assert.Equal((1, 0), await services.GetRequiredService<SecretRewrap>().RunAsync(CancellationToken.None));
        var rewritten = (await table.GetEntityAsync<TableEntity>(entity.Value.PartitionKey, ConnectionRows.ConnectionRow(registered.Id))).Value;
        Assert.False((await table.GetEntityIfExistsAsync<TableEntity>(entity.Value.PartitionKey, ConnectionRows.LegacyConnectionRow)).HasValue);
        Assert.DoesNotContain("shpat_legacy_plain", rewritten.GetString("Json"), StringComparison.Ordinal);
        Assert.DoesNotContain(token, rewritten.GetString("Json"), StringComparison.Ordinal);
        Assert.StartsWith("fse1.", rewritten.GetString("Secrets"), StringComparison.Ordinal);
        Assert.Equal("shpat_legacy_plain", (await store.GetAsync(registered.Id, CancellationToken.None))!.Credential("accessToken"));
        Assert.Equal(registered.Id, (await store.FindBySyncTokenAsync(token, CancellationToken.None))?.Id);
        Assert.Equal([registered.Id], (await store.ListAsync(null, CancellationToken.None)).Select(c => c.Id));
        Assert.Equal((0, 0), await services.GetRequiredService<SecretRewrap>().RunAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_row_under_the_shared_row_key_moves_under_its_own_with_the_first_update_and_racing_updates_are_all_kept()
    {
        await using var services = StorageServices.Create(storage, StorageServices.NewPrefix("legacykey"));
        var store = services.GetRequiredService<IConnectionStore>();
        var registered = (await store.RegisterAsync(
            new ConnectionRegistration("org-legacy", "woocommerce", "legacy-key", "before", new Dictionary<string, string> { ["consumerKey"] = "ck_legacy" }), CancellationToken.None)).Connection;
        var table = await services.GetRequiredService<TableProvider>().GetAsync(TableNames.Connections, CancellationToken.None);
        var partition = TableKeys.Encode(registered.Id);
        var own = (await table.GetEntityAsync<TableEntity>(partition, ConnectionRows.ConnectionRow(registered.Id))).Value;
        own.RowKey = ConnectionRows.LegacyConnectionRow;
        await table.AddEntityAsync(own);
        await table.DeleteEntityAsync(partition, ConnectionRows.ConnectionRow(registered.Id));

        // Eight updates at once, each adding a setting of its own: one moves the row, the others lose their race to it
        // and are applied again to what it wrote.
        var updated = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => store.UpdateAsync(registered.Id,
            c => c with { Settings = new Dictionary<string, string>(c.Settings) { [$"k{i}"] = $"v{i}" } }, CancellationToken.None)));
        Assert.All(updated, Assert.NotNull);

        var rows = await table.ReadAllAsync(TableQueries.Partition(partition), e => e.RowKey, CancellationToken.None, select: ["RowKey"]);
        Assert.Equal([ConnectionRows.ConnectionRow(registered.Id)], rows);
        var read = (await store.GetAsync(registered.Id, CancellationToken.None))!;
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"k{i}"), read.Settings.Keys.Order());
        Assert.Equal("ck_legacy", read.Credential("consumerKey"));
        Assert.Equal([registered.Id], (await store.ListAsync(null, CancellationToken.None)).Select(c => c.Id));
        Assert.Equal([registered.Id], (await store.ListAsync("org-legacy", CancellationToken.None)).Select(c => c.Id));
    }
}
