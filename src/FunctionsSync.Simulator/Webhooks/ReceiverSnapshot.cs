namespace FunctionsSync.Simulator.Webhooks;

/// <summary>What a receiver got so far (<c>GET /mock/webhooks/{name}</c>).</summary>
/// <param name="InFlight">Requests arrived and not answered yet.</param>
public sealed record ReceiverSnapshot(IReadOnlyList<ReceivedWebhook> Accepted, IReadOnlyList<ReceiverAttempt> Attempts, int Duplicates, int BadSignatures, int InFlight);
