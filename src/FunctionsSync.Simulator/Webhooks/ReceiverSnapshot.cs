namespace FunctionsSync.Simulator.Webhooks;

/// <summary>What a receiver got so far (<c>GET /mock/webhooks/{name}</c>).</summary>
public sealed record ReceiverSnapshot(IReadOnlyList<ReceivedWebhook> Accepted, IReadOnlyList<ReceiverAttempt> Attempts, int Duplicates, int BadSignatures);
