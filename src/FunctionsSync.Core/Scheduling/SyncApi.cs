using System.Diagnostics.CodeAnalysis;
using FunctionsSync.Core.Access;
using FunctionsSync.Core.Api;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Jobs;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Core.Scheduling;

/// <summary>The <c>/api/sync</c> routes: schedule switch and interval, manual triggers, status.</summary>
public sealed class SyncApi(
    IScheduleStore schedule,
    IConnectionStore connections,
    ISyncStateStore state,
    RunLauncher launcher,
    IFullCycleStarter fullCycles,
    ConnectionAccess access,
    SyncHealthReader healthReader,
    StatusSnapshots snapshots,
    IOptions<SchedulerOptions> schedulerOptions,
    TimeProvider time)
{
    public async Task<ApiResult<SyncStatusView>> StatusAsync(ApiCaller caller, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var current = await schedule.GetAsync(cancellationToken);
        var cron = CronSchedule.Parse(current.Cron);
        var organizationId = caller.IsAdmin ? null : caller.OrganizationId;
        // Worked out without the request's token: a refresh may outlive the request that started it.
        var snapshot = await snapshots.GetAsync(organizationId, () => SnapshotAsync(organizationId, time.GetUtcNow(), CancellationToken.None));
        return ApiResult.Ok(new SyncStatusView(
            Enabled: current.Enabled,
            Schedule: current.Cron,
            NextRunAt: current.Enabled ? Max(cron.NextAfter(current.LastOccurrence), now) : null,
            LastCycle: caller.IsAdmin ? current.LastCycle : null,
            Connections: snapshot.Connections,
            ActiveRuns: snapshot.ActiveRuns,
            Health: ServiceHealthRule.Of(snapshot.Total, snapshot.NeedsAttention, snapshot.Failing),
            Caller: new CallerView(caller.IsAdmin, caller.OrganizationId)));
    }

    /// <summary>The scope's connection counts and active runs: every connection of it and the connection-state index read once.</summary>
    private async Task<StatusSnapshot> SnapshotAsync(string? organizationId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var all = (await connections.ListAsync(organizationId, cancellationToken)).Where(c => c.DeletedAt is null).ToList();
        var states = await state.ListConnectionStatesAsync(cancellationToken);
        var visible = all.Select(c => c.Id).ToHashSet();
        var active = new List<ActiveRunView>();
        foreach (var s in states.Values.Where(s => s.ActiveRunId is not null && visible.Contains(s.ConnectionId)))
        {
            if (await state.GetRunAsync(s.ActiveRunId!, cancellationToken) is { } run && !run.Status.IsFinal())
            {
                active.Add(new ActiveRunView(run.RunId, run.ConnectionId, run.Status, RunView.From(run, now).PercentComplete));
            }
        }

        var lastStatuses = all.Select(c => states.GetValueOrDefault(c.Id)?.LastRunStatus).ToList();
        var healthContext = await healthReader.ReadAsync(cancellationToken);
        var byHealth = Enum.GetValues<SyncHealth>().ToDictionary(SyncHealthRule.WireName, _ => 0);
        foreach (var c in all)
        {
            byHealth[SyncHealthRule.WireName(healthContext.Of(c, states.GetValueOrDefault(c.Id)))]++;
        }

        var needsAttention = all.Count(c => c.Health == ConnectionHealth.NeedsAttention);
        var failing = lastStatuses.Count(s => s == RunStatus.Failed);
        var counts = new ConnectionCountsView(
            Total: all.Count,
            Enabled: all.Count(c => c.Enabled),
            Disabled: all.Count(c => !c.Enabled),
            NeedsAttention: needsAttention,
            // Every connection counted once by SyncHealthRule, as GET /api/connections shows it.
            Health: byHealth,
            LastRun: new LastRunCountsView(
                Never: lastStatuses.Count(s => s is null),
                Succeeded: lastStatuses.Count(s => s == RunStatus.Succeeded),
                Partial: lastStatuses.Count(s => s == RunStatus.Partial),
                Failed: failing,
                Cancelled: lastStatuses.Count(s => s == RunStatus.Cancelled)));
        return new StatusSnapshot(counts, active, all.Count, needsAttention, failing);
    }

    public async Task<ApiResult<ScheduleView>> SetEnabledAsync(ApiCaller caller, bool enabled, CancellationToken cancellationToken)
    {
        if (!caller.IsAdmin)
        {
            return Problems.Forbidden("Only the admin key starts or stops the schedule.");
        }

        var updated = await schedule.SetEnabledAsync(enabled, cancellationToken);
        return ApiResult.Ok(new ScheduleView(updated.Enabled, updated.Cron));
    }

    public async Task<ApiResult<ScheduleView>> SetIntervalAsync(ApiCaller caller, string? body, CancellationToken cancellationToken)
    {
        if (!caller.IsAdmin)
        {
            return Problems.Forbidden("Only the admin key changes the schedule.");
        }

        if (!ApiJson.TryRead<IntervalRequest>(body, out var request, out var problem))
        {
            return problem;
        }

        string expression;
        if (request.Cron is not null && request.Minutes is not null)
        {
            return Problems.BadRequest("Give either cron or minutes, not both.");
        }

        if (request.Minutes is { } minutes)
        {
            if (minutes is < 1 or > 1440)
            {
                return Problems.BadRequest("minutes must be between 1 and 1440.", new Dictionary<string, string[]> { ["minutes"] = ["Between 1 and 1440."] });
            }

            expression = CronSchedule.EveryMinutes(minutes);
        }
        else if (request.Cron is not null)
        {
            expression = request.Cron.Trim();
        }
        else
        {
            return Problems.BadRequest("Give cron (e.g. \"0 */15 * * * *\") or minutes.");
        }

        var now = time.GetUtcNow();
        if (!CronSchedule.TryParseSchedule(expression, now, schedulerOptions.Value.MinimumCronInterval, out var cron, out var error))
        {
            return Problems.BadRequest(error!, new Dictionary<string, string[]> { ["cron"] = [error!] });
        }

        var updated = await schedule.SetCronAsync(cron!.Expression, now, cancellationToken);
        return ApiResult.Ok(new ScheduleView(updated.Enabled, updated.Cron, cron.NextAfter(now)));
    }

    public async Task<ApiResult<TriggerAccepted>> TriggerAsync(ApiCaller caller, string? body, CancellationToken cancellationToken)
    {
        if (!ApiJson.TryRead<TriggerRequest>(body, out var request, out var problem, allowEmpty: true))
        {
            return problem;
        }

        var mode = request.Mode?.ToLowerInvariant() switch
        {
            null or "incremental" => SyncMode.Incremental,
            "full" => SyncMode.Full,
            _ => (SyncMode?)null,
        };
        if (mode is null)
        {
            return Problems.BadRequest("mode must be \"incremental\" or \"full\".", new Dictionary<string, string[]> { ["mode"] = ["incremental or full"] });
        }

        if (!FeedSelection.TryRead(request.EntityTypes, out var types, out var named))
        {
            return named;
        }

        if (!SyncScope.TryResolve(caller, request.ConnectionIds is { Count: > 0 }, request.OrganizationId, request.All, out var organizationId, out var scopeProblem))
        {
            return scopeProblem!;
        }

        List<Connection> targets;
        if (request.ConnectionIds is { Count: > 0 } ids)
        {
            if (ids.Count > 1000)
            {
                return Problems.BadRequest("At most 1000 connectionIds per request.");
            }

            targets = [];
            foreach (var id in ids.Distinct())
            {
                if (await access.FindAsync(caller, id, cancellationToken) is not { } connection)
                {
                    return Problems.NotFound($"Connection {id} does not exist.");
                }

                targets.Add(connection);
            }
        }
        else
        {
            // One organization's connection rows, or (an admin's "all") every organization's.
            targets = [.. (await connections.ListAsync(organizationId, cancellationToken)).Where(c => c.DeletedAt is null && c.Enabled)];
        }

        var runs = new List<TriggeredRun>();
        var conflicts = new List<TriggerConflict>();
        foreach (var connection in targets)
        {
            var launched = await launcher.LaunchAsync(connection, mode.Value, types, RunTrigger.Manual, null, TimeSpan.Zero, cancellationToken);
            if (launched.Run is { } run)
            {
                runs.Add(new TriggeredRun(run.RunId, connection.Id, $"/api/runs/{run.RunId}"));
            }
            else
            {
                conflicts.Add(new TriggerConflict(connection.Id, launched.ConflictingRunId, $"/api/runs/{launched.ConflictingRunId}"));
            }
        }

        if (targets.Count == 1 && conflicts.Count == 1)
        {
            return Problems.Conflict($"Connection {targets[0].Id} already has an active run. See its status at {conflicts[0].StatusUrl}.");
        }

        return ApiResult.Accepted(new TriggerAccepted(runs, conflicts));
    }

    public async Task<ApiResult<RunFullAccepted>> RunFullAsync(ApiCaller caller, string? body, CancellationToken cancellationToken)
    {
        if (!TryRunFullScope(caller, body, out var organizationId, out var problem))
        {
            return problem;
        }

        return ApiResult.Accepted(await fullCycles.StartAsync(organizationId, cancellationToken));
    }

    /// <summary>A run-full body's scope: an organization, or every one the caller may see.</summary>
    private static bool TryRunFullScope(ApiCaller caller, string? body, out string? organizationId, [NotNullWhen(false)] out ApiResult? problem)
    {
        organizationId = null;
        if (!ApiJson.TryRead<RunFullRequest>(body, out var request, out problem, allowEmpty: true))
        {
            return false;
        }

        return SyncScope.TryResolve(caller, false, request.OrganizationId, request.All, out organizationId, out problem);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
