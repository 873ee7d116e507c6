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
/// A connection row written before secrets were encrypted and sync tokens hashed (credentials and the token in its
/// JSON) still reads, its token still authenticates, and the re-wrap pass rewrites it with neither left in the clear.
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
        var entity = await table.GetEntityAsync<TableEntity>(TableKeys.Encode(registered.Id), ConnectionRows.ConnectionRow);
        var json = JsonNode.Parse(entity.Value.GetString("Json"))!.AsObject();
        json.Remove("syncTokenHash");
        json["syncToken"] = token;
        json["credentials"] = new JsonObject { ["accessToken"] = "shpat_legacy_plain" };
        var legacy = new TableEntity(entity.Value.PartitionKey, entity.Value.RowKey) { ["OrganizationId"] = "org-legacy", ["Marketplace"] = "shopify", ["Json"] = json.ToJsonString() };
        await table.UpdateEntityAsync(legacy, Azure.ETag.All, TableUpdateMode.Replace);
        await table.UpsertEntityAsync(new TableEntity(ConnectionRows.TokenPartition(ConnectionIds.HashSyncToken(token)), ConnectionRows.TokenRow) { ["ConnectionId"] = registered.Id });

        var read = (await store.GetAsync(registered.Id, CancellationToken.None))!;
        Assert.Equal("shpat_legacy_plain", read.Credential("accessToken"));
        Assert.Equal(ConnectionIds.HashSyncToken(token), read.SyncTokenHash);
        Assert.Equal(registered.Id, (await store.FindBySyncTokenAsync(token, CancellationToken.None))?.Id);

        Assert.Equal((1, 0), await services.GetRequiredService<SecretRewrap>().RunAsync(CancellationToken.None));
        var rewritten = (await table.GetEntityAsync<TableEntity>(entity.Value.PartitionKey, entity.Value.RowKey)).Value;
        Assert.DoesNotContain("shpat_legacy_plain", rewritten.GetString("Json"), StringComparison.Ordinal);
        Assert.DoesNotContain(token, rewritten.GetString("Json"), StringComparison.Ordinal);
        Assert.StartsWith("fse1.", rewritten.GetString("Secrets"), StringComparison.Ordinal);
        Assert.Equal("shpat_legacy_plain", (await store.GetAsync(registered.Id, CancellationToken.None))!.Credential("accessToken"));
        Assert.Equal(registered.Id, (await store.FindBySyncTokenAsync(token, CancellationToken.None))?.Id);
    }
}
