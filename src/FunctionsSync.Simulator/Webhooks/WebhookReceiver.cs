using System.Security.Cryptography;
using System.Text;

namespace FunctionsSync.Simulator.Webhooks;

/// <summary>
/// One receiving endpoint, as a downstream system would build it: verifies Standard Webhooks signatures, dedupes on
/// <c>webhook-id</c>, and records every attempt. It can be told to fail its next N requests.
/// </summary>
public sealed class WebhookReceiver
{
    /// <summary>Standard Webhooks' replay window.</summary>
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    private readonly Lock gate = new();
    private readonly List<ReceivedWebhook> accepted = [];
    private readonly List<ReceiverAttempt> attempts = [];
    private int failNext;
    private int inFlight;

    /// <summary>A request has arrived and is not answered yet (a slow receiver holds it for <see cref="Delay"/>).</summary>
    public IDisposable Arrived()
    {
        Interlocked.Increment(ref inFlight);
        return new Answered(this);
    }

    public string? Secret { get; set; }

    /// <summary>How long the receiver takes to answer (a slow downstream system).</summary>
    public TimeSpan Delay { get; set; }

    public void FailNext(int count)
    {
        lock (gate)
        {
            failNext = count;
        }
    }

    /// <summary>Handles one request; returns the status to answer with.</summary>
    public int Receive(string? id, string? timestamp, string? signature, string body, bool failHeader, bool failPayload, DateTimeOffset now)
    {
        lock (gate)
        {
            var status = Decide(id, timestamp, signature, body, failHeader, failPayload, now, out var outcome);
            attempts.Add(new ReceiverAttempt(id, now, status, outcome));
            return status;
        }
    }

    public ReceiverSnapshot Snapshot()
    {
        lock (gate)
        {
            return new ReceiverSnapshot([.. accepted], [.. attempts], attempts.Count(a => a.Outcome == "duplicate"), attempts.Count(a => a.Outcome == "bad_signature"), Volatile.Read(ref inFlight));
        }
    }

    private int Decide(string? id, string? timestamp, string? signature, string body, bool failHeader, bool failPayload, DateTimeOffset now, out string outcome)
    {
        if (Secret is { } secret && !Verify(secret, id, timestamp, signature, body, now))
        {
            outcome = "bad_signature";
            return 401;
        }

        if (failHeader || failPayload || failNext > 0)
        {
            failNext = Math.Max(0, failNext - 1);
            outcome = "failed_on_purpose";
            return 500;
        }

        if (accepted.Any(a => a.WebhookId == id))
        {
            outcome = "duplicate";
            return 200;
        }

        accepted.Add(new ReceivedWebhook(id ?? "", now, body));
        outcome = "accepted";
        return 200;
    }

    private static bool Verify(string secret, string? id, string? timestamp, string? signatures, string body, DateTimeOffset now)
    {
        if (id is null || signatures is null || !long.TryParse(timestamp, out var seconds)
            || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > Tolerance)
        {
            return false;
        }

        var key = Convert.FromBase64String(secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret[6..] : secret);
        var expected = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}"));
        // The header may carry several space-separated signatures (key rotation); one match is enough.
        foreach (var candidate in signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = candidate.Split(',', 2);
            if (parts.Length == 2 && parts[0] == "v1")
            {
                try
                {
                    if (CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(parts[1]), expected))
                    {
                        return true;
                    }
                }
                catch (FormatException)
                {
                }
            }
        }

        return false;
    }

    private sealed class Answered(WebhookReceiver receiver) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref receiver.inFlight);
    }
}
