namespace FunctionsSync.SelfHosted.Demo;

/// <summary>
/// The demo app's OAuth client at the simulator's token endpoints. Not a secret: the simulator is told it when each
/// demo store is made, and it opens nothing but the simulator.
/// </summary>
public static class DemoOAuth
{
    public const string ClientId = "functionssync-demo";

    public const string ClientSecret = "functionssync-demo-client-secret";
}
