namespace FunctionsSync.Simulator.Data;

/// <summary>A store's notification subscription: where to send, and the secret the marketplace signs with.</summary>
public sealed record SimSubscription(string Url, string Secret);
