using FunctionsSync.IntegrationTests.Infrastructure;

namespace FunctionsSync.FunctionsTests.Infrastructure;

/// <summary>One Azurite and one simulator for the Functions tests; each test has its own table prefix and stores.</summary>
[CollectionDefinition(Name)]
public sealed class FunctionsCollection : ICollectionFixture<AzuriteFixture>, ICollectionFixture<SimulatorFixture>
{
    public const string Name = "functions";
}
