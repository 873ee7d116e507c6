using Azure.Data.Tables;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Storage.Tables;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.IntegrationTests.Storage;

/// <summary>Azure's transaction limits, enforced before anything is sent (Azurite does not enforce them).</summary>
[Collection(QuietCollection.Name)]
public sealed class TableBatchContractTests(AzuriteFixture storage)
{
    [Fact]
    public void A_101st_action_is_refused_before_anything_is_sent()
    {
        var batch = new TableBatch();
        for (var i = 0; i < TableBatch.MaxActions; i++)
        {
            batch.Add(new TableEntity("p", $"r{i:D3}"));
        }

        Assert.Throws<InvalidOperationException>(() => batch.Add(new TableEntity("p", "r100")));
        Assert.Equal(TableBatch.MaxActions, batch.Count);
    }

    [Fact]
    public void A_second_partition_is_refused_before_anything_is_sent()
    {
        var batch = new TableBatch().Add(new TableEntity("p1", "a"));
        var ex = Assert.Throws<InvalidOperationException>(() => batch.UpsertReplace(new TableEntity("p2", "b")));
        Assert.Contains("one partition", ex.Message);
    }

    [Fact]
    public async Task A_full_transaction_lands_whole_and_a_failed_condition_names_its_action_and_writes_nothing()
    {
        await using var services = StorageServices.Create(storage, StorageServices.NewPrefix("cbatch"));
        var table = await services.GetRequiredService<TableProvider>().GetAsync("batchtest", CancellationToken.None);
        var full = new TableBatch();
        for (var i = 0; i < TableBatch.MaxActions; i++)
        {
            full.Add(new TableEntity("p", $"r{i:D3}") { ["N"] = i });
        }

        var versions = await full.SubmitAsync(table, CancellationToken.None);
        Assert.Equal(100, versions.Count);
        Assert.All(versions, v => Assert.False(string.IsNullOrEmpty(v)));

        var stale = new TableBatch()
            .Replace(new TableEntity("p", "r000") { ["N"] = -1 }, versions[0])
            .Replace(new TableEntity("p", "r001") { ["N"] = -1 }, "W/\"datetime'2000-01-01T00%3A00%3A00Z'\"");
        var failure = await Assert.ThrowsAnyAsync<Azure.RequestFailedException>(() => stale.SubmitAsync(table, CancellationToken.None));
        Assert.True(failure.IsPreconditionFailed());
        Assert.Equal(1, failure.FailedAction());
        Assert.Equal(0, (await table.GetAsync("p", "r000", CancellationToken.None))!.GetInt32("N"));
    }
}
