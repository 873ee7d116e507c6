using FunctionsSync.IntegrationTests.Infrastructure;
namespace FunctionsSync.IntegrationTests;
[Collection(QuietCollection.Name)]
public sealed class TmpDumpDoc(AzuriteFixture storage)
{
    [Fact]
    public async Task Dump()
    {
        await using var host = new HostApp(storage, StorageServices.NewPrefix("dump"));
        File.WriteAllText("/tmp/openapi.json", await (await host.Client(null).GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync());
    }
}
