using FunctionsSync.Core.Access;
using FunctionsSync.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.IntegrationTests.Storage;

/// <summary>
/// A key's first use racing its revocation: the use's "last used" write never brings the revoked key's rows back (a
/// listed key with no hash, a key row with no organization).
/// </summary>
[Collection(QuietCollection.Name)]
public sealed class ApiKeyRevocationTests(AzuriteFixture storage, SimulatorFixture simulator)
{
    [Fact]
    public async Task A_use_racing_the_revocation_leaves_no_trace_of_the_key()
    {
        await using var harness = new SyncHarness(storage, simulator, "keyrace");
        var keys = harness.Services.GetRequiredService<IApiKeyStore>();
        const string organization = "org-keyrace";
        for (var i = 0; i < 40; i++)
        {
            var issued = await keys.IssueAsync(organization, CancellationToken.None);
            var uses = Enumerable.Range(0, 4).Select(_ => keys.FindOrganizationAsync(issued.Key, CancellationToken.None)).ToList();
            var revoked = keys.RevokeAsync(issued.Id, CancellationToken.None);
            await Task.WhenAll(uses);
            Assert.True(await revoked);
        }

        Assert.Empty(await keys.ListAsync(organization, CancellationToken.None));
    }
}
