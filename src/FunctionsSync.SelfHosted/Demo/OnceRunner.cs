using System.Globalization;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Scheduling;
using FunctionsSync.Core.Sync;
using FunctionsSync.Core.Webhooks;

namespace FunctionsSync.SelfHosted.Demo;

/// <summary><c>--once</c>: one full cycle over every connection, live progress, a summary table, exit 0 only if all succeeded.</summary>
public sealed class OnceRunner(CyclePlanner planner, ISyncStateStore state, IConnectionStore connections, IWebhookStore webhooks, DemoSeeder demo, TimeProvider time)
{
    private static readonly TimeSpan WebhookWait = TimeSpan.FromSeconds(20);

    public async Task<int> RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var cycle = await planner.RunAsync(CycleKind.Full, null, TimeSpan.Zero, cancellationToken);
        output.WriteLine($"cycle {cycle.CycleId}: {cycle.Queued} runs queued ({cycle.SkippedActive} connections already running, {cycle.SkippedDisabled} disabled, {cycle.SkippedNeedsAttention} need attention)");
        if (cycle.Queued == 0)
        {
            return cycle.Considered == 0 ? 1 : 0;
        }

        var names = (await connections.ListAsync(null, cancellationToken)).ToDictionary(c => c.Id);
        var runs = new Dictionary<string, SyncRun>();
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var runId in cycle.RunIds)
            {
                if (await state.GetRunAsync(runId, cancellationToken) is { } run)
                {
                    runs[runId] = run;
                }
            }

            var line = string.Join("  ", runs.Values.OrderBy(r => r.ConnectionId).Select(r =>
                $"{Short(names, r.ConnectionId)} {Percent(r, time.GetUtcNow())}"));
            output.WriteLine($"[{(time.GetUtcNow() - started).TotalSeconds,5:0}s] {line}");
            if (runs.Count == cycle.RunIds.Count && runs.Values.All(r => r.Status.IsFinal()))
            {
                break;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken);
        }

        output.WriteLine();
        output.WriteLine($"{"organization",-14} {"marketplace",-12} {"status",-10} {"created",8} {"updated",8} {"unchanged",9} {"failed",7} {"seconds",8}  error");
        foreach (var run in runs.Values.OrderBy(r => r.OrganizationId).ThenBy(r => r.Marketplace))
        {
            var c = run.Counters;
            var seconds = run.StartedAt is { } s && run.FinishedAt is { } f ? (f - s).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) : "-";
            output.WriteLine($"{run.OrganizationId,-14} {run.Marketplace,-12} {run.Status.ToString().ToLowerInvariant(),-10} {c.Created,8} {c.Updated,8} {c.Unchanged,9} {c.Failed,7} {seconds,8}  {run.Error}");
        }

        await ReportWebhooksAsync(output, runs.Values, cancellationToken);
        var ok = runs.Values.All(r => r.Status == RunStatus.Succeeded);
        output.WriteLine(ok ? $"all {runs.Count} runs succeeded" : $"{runs.Values.Count(r => r.Status != RunStatus.Succeeded)} of {runs.Count} runs did not succeed");
        return ok ? 0 : 1;
    }

    /// <summary>How many of the runs' <c>sync.completed</c> events reached the demo receivers (waiting a little for the last ones).</summary>
    private async Task ReportWebhooksAsync(TextWriter output, IEnumerable<SyncRun> runs, CancellationToken cancellationToken)
    {
        var expected = runs
            .SelectMany(r => demo.Endpoints.Where(e => e.OrganizationId == r.OrganizationId)
                .Select(e => (EndpointId: e.Id, EventId: WebhookPayloads.RunEventId(r.RunId, WebhookEventTypes.SyncCompleted))))
            .ToList();
        if (expected.Count == 0)
        {
            return;
        }

        var deadline = time.GetUtcNow() + WebhookWait;
        var delivered = 0;
        while (true)
        {
            var deliveries = await Task.WhenAll(expected.Select(x => webhooks.GetDeliveryAsync(x.EndpointId, x.EventId, cancellationToken)));
            delivered = deliveries.Count(d => d?.Status == DeliveryStatus.Delivered);
            if (delivered == expected.Count || time.GetUtcNow() >= deadline)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), time, cancellationToken);
        }

        output.WriteLine($"webhooks: {delivered} of {expected.Count} sync.completed events delivered, signed and verified, to the simulator's receivers");
    }

    private static string Short(Dictionary<string, Connection> names, string connectionId) =>
        names.TryGetValue(connectionId, out var c) ? $"{c.OrganizationId}/{c.Marketplace}/{c.Name}" : connectionId;

    /// <summary>The API's <c>percentComplete</c> (<see cref="RunView"/>: weighted over every feed, never lower than before), not a ratio of what is known so far.</summary>
    private static string Percent(SyncRun run, DateTimeOffset now) => run.Status switch
    {
        RunStatus.Queued => "queued",
        RunStatus.Running or RunStatus.Interrupted or RunStatus.Paused => $"{Math.Floor(RunView.From(run, now).PercentComplete).ToString("0", CultureInfo.InvariantCulture)}%",
        _ => run.Status.ToString().ToLowerInvariant(),
    };
}
