using FunctionsSync.Core.Webhooks;

namespace FunctionsSync.UnitTests.Webhooks;

public sealed class WebhookEndpointSecretsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private static WebhookEndpoint Endpoint(string? previous, DateTimeOffset? until) => new()
    {
        Id = "w1", OrganizationId = "o", TargetUrl = "https://hooks.example.com", Events = ["sync.completed"], Secret = "whsec_new",
        PreviousSecret = previous, PreviousSecretExpiresAt = until,
    };

    [Fact]
    public void The_previous_secret_signs_only_during_its_overlap()
    {
        Assert.Equal(["whsec_new", "whsec_old"], Endpoint("whsec_old", Now.AddMinutes(1)).SigningSecrets(Now));
        Assert.Equal(["whsec_new"], Endpoint("whsec_old", Now).SigningSecrets(Now));
        Assert.Equal(["whsec_new"], Endpoint(null, null).SigningSecrets(Now));
    }
}
