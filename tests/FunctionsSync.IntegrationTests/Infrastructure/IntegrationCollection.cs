namespace FunctionsSync.IntegrationTests.Infrastructure;

/// <summary>One Azurite and one simulator for every integration test class; classes isolate data by table prefix and store id.</summary>
[CollectionDefinition(Name)]
public sealed class IntegrationCollection : ICollectionFixture<AzuriteFixture>, ICollectionFixture<SimulatorFixture>
{
    public const string Name = "integration";
}
