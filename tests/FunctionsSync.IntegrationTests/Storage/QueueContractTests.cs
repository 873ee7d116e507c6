using System.Text;
using Azure.Storage.Queues;
using FunctionsSync.Core.Jobs;
using FunctionsSync.Core.Runs;
using FunctionsSync.IntegrationTests.Infrastructure;
using FunctionsSync.Storage.Tables;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.IntegrationTests.Storage;

/// <summary>The job queue on Azurite: pop receipts across extensions, Base64 bodies, prefixed names.</summary>
[Collection(QuietCollection.Name)]
public sealed class QueueContractTests(AzuriteFixture storage)
{
    [Fact]
    public async Task A_message_extended_twice_is_completed_with_its_newest_pop_receipt()
    {
        var prefix = StorageServices.NewPrefix("cext");
        await using var services = StorageServices.Create(storage, prefix);
        var queue = services.GetRequiredService<IJobQueue>();
        await queue.EnqueueAsync(Job("cext1"), TimeSpan.Zero, CancellationToken.None);

        var message = (await queue.ReceiveAsync(TimeSpan.FromSeconds(30), CancellationToken.None))!;
        await message.ExtendAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        await message.ExtendAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        await message.CompleteAsync(CancellationToken.None);

        // Gone for good: not hidden, deleted (a hidden message would still count).
        Assert.Equal(0, await queue.ApproximateCountAsync(CancellationToken.None));
        Assert.Null(await services.GetRequiredService<StorageProbe>().PeekMessageAsync(TableNames.JobQueue, CancellationToken.None));
    }

    [Fact]
    public async Task Messages_are_Base64_on_the_wire_under_the_prefixed_queue_name_as_the_Functions_trigger_reads_them()
    {
        var prefix = StorageServices.NewPrefix("cenc");
        await using var services = StorageServices.Create(storage, prefix);
        await services.GetRequiredService<IJobQueue>().EnqueueAsync(Job("cenc1"), TimeSpan.Zero, CancellationToken.None);

        // A reader that decodes nothing, under the name every host derives: prefix + logical name.
        var raw = new QueueClient(storage.ConnectionString, StorageNames.Full(prefix, TableNames.JobQueue), new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        var peeked = (await raw.PeekMessageAsync()).Value;
        var json = Encoding.UTF8.GetString(Convert.FromBase64String(peeked.Body.ToString()));
        Assert.Contains("\"connectionId\":\"cenc1\"", json);
    }

    private static SyncJob Job(string connectionId) =>
        new(RunIds.New(connectionId, DateTimeOffset.UtcNow), connectionId, "org-contract", SyncMode.Incremental, [Core.Records.EntityType.Orders], RunTrigger.Manual, null);
}
