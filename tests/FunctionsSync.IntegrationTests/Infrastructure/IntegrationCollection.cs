namespace FunctionsSync.IntegrationTests.Infrastructure;

/// <summary>
/// The test classes that set the simulator's faults (slow pages, 429s, failed reports…) or its rate limits: they run
/// one after another, each seeing only its own fault settings, on a simulator of their own. Every class isolates its
/// data by table prefix and store id.
/// </summary>
[CollectionDefinition(Name)]
public sealed class IntegrationCollection : ICollectionFixture<AzuriteFixture>, ICollectionFixture<SimulatorFixture>
{
    public const string Name = "integration";
}
