namespace FunctionsSync.IntegrationTests.Infrastructure;

/// <summary>
/// Classes that leave the simulator's faults alone: they run one after another too, but in parallel with
/// <see cref="IntegrationCollection"/>, on another simulator (a collection's fixtures are its own), so no fault set
/// there reaches them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class QuietCollection : ICollectionFixture<AzuriteFixture>, ICollectionFixture<SimulatorFixture>
{
    public const string Name = "integration-quiet";
}
