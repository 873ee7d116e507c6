using System.Collections.Concurrent;

namespace FunctionsSync.SelfHosted.Workers;

/// <summary>
/// How many passes each background loop of this replica has completed (a failed pass counts: the loop went round).
/// What shows that a loop ran past a moment, e.g. that a stopped schedule ticked without starting anything, where a
/// sleep would only guess.
/// </summary>
public sealed class WorkerPasses
{
    public const string Scheduler = "scheduler";
    public const string Jobs = "jobs";
    public const string WebhookQueue = "webhook-queue";
    public const string WebhookSweep = "webhook-sweep";
    public const string AmazonNotifications = "amazon-notifications";
    public const string ReceiptRetry = "receipt-retry";
    public const string ConflictRetry = "conflict-retry";
    public const string Retention = "retention";
    public const string QueueMetrics = "queue-metrics";

    private readonly ConcurrentDictionary<string, long> completed = new(StringComparer.Ordinal);

    public void Completed(string loop) => completed.AddOrUpdate(loop, 1, (_, n) => n + 1);

    public long Count(string loop) => completed.GetValueOrDefault(loop);
}
