using System.Collections.Concurrent;
using FunctionsSync.Core.Access;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Core.Scheduling;

/// <summary>
/// The connection counts and active runs of <c>GET /api/sync/status</c>, per scope (the admin's, or an organization's),
/// kept for <see cref="ApiOptions.StatusCacheDuration"/>, or <see cref="CostMultiple"/> times as long as working it out
/// took if that is longer: working them out reads every connection of the scope and its state, which at 10,000
/// connections takes about a second, while a dashboard asks after every run that ends. So refreshes take at most a
/// tenth of the storage's time at any size, rather than, at 10,000 connections, a quarter of it and slowing every
/// request beside them. An answer is that old at most, plus a refresh's time once it lapsed (answered while refreshed
/// behind, up to four times that); the schedule's own fields are read fresh each time.
/// </summary>
public sealed class StatusSnapshots(IOptions<ApiOptions> options, TimeProvider time)
{
    /// <summary>How many scopes are kept at most (organizations whose keys ask); past it the oldest goes.</summary>
    private const int MaxScopes = 1_000;

    /// <summary>How many times its working-out a snapshot is kept at least.</summary>
    public const int CostMultiple = 10;

    private readonly ConcurrentDictionary<string, Kept> snapshots = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> refreshing = new(StringComparer.Ordinal);

    /// <summary>
    /// The scope's snapshot. A recent one is answered as it is; one older than the duration but not four times it is
    /// answered too while one refresh runs behind it (the next callers get the refreshed one), so a request never waits
    /// for the whole scope to be read unless nothing recent is kept; otherwise <paramref name="compute"/> runs now.
    /// </summary>
    /// <param name="compute">Works the snapshot out; it may outlive the request that started it, so it takes no request's token.</param>
    public async Task<StatusSnapshot> GetAsync(string? organizationId, Func<Task<StatusSnapshot>> compute)
    {
        var duration = options.Value.StatusCacheDuration;
        if (duration <= TimeSpan.Zero)
        {
            return await compute();
        }

        var key = organizationId ?? "";
        var now = time.GetUtcNow();
        if (snapshots.TryGetValue(key, out var kept) && kept.Snapshot.IsCompletedSuccessfully)
        {
            var age = now - kept.At;
            var fresh = duration > kept.Cost * CostMultiple ? duration : kept.Cost * CostMultiple;
            if (age < fresh)
            {
                return kept.Snapshot.Result;
            }

            if (age < fresh * 4)
            {
                Refresh(key, compute);
                return kept.Snapshot.Result;
            }
        }
        else if (kept?.Snapshot is { IsCompleted: false } pending)
        {
            return await pending;
        }

        return await Store(key, now, compute);
    }

    /// <summary>One refresh of a scope at a time, in the background; a failed one leaves the kept snapshot.</summary>
    private void Refresh(string key, Func<Task<StatusSnapshot>> compute)
    {
        if (!refreshing.TryAdd(key, 0))
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                var at = time.GetUtcNow();
                var started = time.GetTimestamp();
                var snapshot = await compute();
                snapshots[key] = new Kept(at, Task.FromResult(snapshot), time.GetElapsedTime(started));
            }
            catch (Exception)
            {
                // Storage away: the kept snapshot stays until it is too old, then a request works it out and sees why.
            }
            finally
            {
                refreshing.TryRemove(key, out _);
            }
        });
    }

    private async Task<StatusSnapshot> Store(string key, DateTimeOffset at, Func<Task<StatusSnapshot>> compute)
    {
        var started = time.GetTimestamp();
        var fresh = compute();
        var kept = new Kept(at, fresh, TimeSpan.Zero);
        snapshots[key] = kept;
        if (snapshots.Count > MaxScopes)
        {
            foreach (var old in snapshots.OrderBy(s => s.Value.At).Take(snapshots.Count - MaxScopes).Select(s => s.Key).ToList())
            {
                snapshots.TryRemove(old, out _);
            }
        }

        StatusSnapshot snapshot;
        try
        {
            snapshot = await fresh;
        }
        catch
        {
            // A failed computation (storage away) is not kept: the next caller tries again.
            snapshots.TryRemove(KeyValuePair.Create(key, kept));
            throw;
        }

        // Its cost, once known (unless a refresh replaced it meanwhile).
        snapshots.TryUpdate(key, kept with { Cost = time.GetElapsedTime(started) }, kept);
        return snapshot;
    }

    /// <param name="At">When its working-out began.</param>
    /// <param name="Cost">How long that took (zero while it runs).</param>
    private sealed record Kept(DateTimeOffset At, Task<StatusSnapshot> Snapshot, TimeSpan Cost);
}

/// <summary>What <see cref="StatusSnapshots"/> keeps of a scope's status.</summary>
public sealed record StatusSnapshot(ConnectionCountsView Connections, IReadOnlyList<ActiveRunView> ActiveRuns, int Total, int NeedsAttention, int Failing);
