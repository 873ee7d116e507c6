namespace FunctionsSync.IntegrationTests.Infrastructure;

/// <summary>The key-encryption key every test host is configured with (<c>Secrets:Keys</c>, required at start-up).</summary>
public static class TestSecrets
{
    public const string KeyId = "test1";
    public const string KeyMaterial = "integration-tests-key-material-not-a-secret-0123456789";

    public static IEnumerable<KeyValuePair<string, string?>> Settings { get; } =
    [
        new("Secrets:Keys:0:Id", KeyId),
        new("Secrets:Keys:0:Key", KeyMaterial),
    ];
}
