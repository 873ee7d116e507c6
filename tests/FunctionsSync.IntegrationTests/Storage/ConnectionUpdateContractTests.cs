using FunctionsSync.Core.Connections;
using FunctionsSync.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.IntegrationTests.Storage;

/// <summary>Connection writes are conditional: a change that lost a race is re-applied to the row the winner wrote.</summary>
[Collection(QuietCollection.Name)]
public sealed class ConnectionUpdateContractTests(AzuriteFixture storage)
{
    [Fact]
    public async Task A_PATCH_landing_while_a_run_records_its_failure_keeps_both_changes()
    {
        await using var services = StorageServices.Create(storage, StorageServices.NewPrefix("connupdate"));
        var store = services.GetRequiredService<IConnectionStore>();
        var registered = (await store.RegisterAsync(
            new ConnectionRegistration("org-update", "shopify", "race-store", "race", new Dictionary<string, string> { ["accessToken"] = "t" }), CancellationToken.None)).Connection;

        // The run's end reads the row, then a PATCH writes a new setting before the run writes its failure streak.
        var applied = 0;
        var written = await store.UpdateAsync(registered.Id, current =>
        {
            if (++applied == 1)
            {
                store.UpdateAsync(registered.Id, c => c with { Settings = new Dictionary<string, string>(c.Settings) { ["batchSize"] = "50" } }, CancellationToken.None).GetAwaiter().GetResult();
            }

            return current with { ConsecutiveFailures = current.ConsecutiveFailures + 1, LastError = "server error 503" };
        }, CancellationToken.None);

        Assert.Equal(2, applied);
        var stored = (await store.GetAsync(registered.Id, CancellationToken.None))!;
        Assert.Equal(("50", 1, "server error 503"), (stored.Setting("batchSize"), stored.ConsecutiveFailures, stored.LastError));
        Assert.Equal(("50", 1), (written!.Setting("batchSize"), written.ConsecutiveFailures));
        Assert.Null(await store.UpdateAsync("cmissing", c => c, CancellationToken.None));
    }
}
