using FunctionsSync.Core.Webhooks;

namespace FunctionsSync.UnitTests.Webhooks;

public sealed class WebhookSignerTests
{
    [Fact]
    public void Signs_the_Standard_Webhooks_reference_vector() =>
        Assert.Equal(
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
            WebhookSigner.Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "{\"test\": 2432232314}"));

    [Fact]
    public void New_secrets_are_prefixed_random_keys() =>
        Assert.NotEqual(WebhookSigner.NewSecret(), WebhookSigner.NewSecret());

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 5)]
    [InlineData(3, 300)]
    [InlineData(5, 7200)]
    [InlineData(9, 7200)]
    public void The_default_schedule_grows_and_then_repeats_its_last_step(int attempt, int seconds)
    {
        var delay = new WebhookOptions().DelayBefore(attempt);
        Assert.Equal(attempt == 1 ? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(seconds), delay);
    }
}
