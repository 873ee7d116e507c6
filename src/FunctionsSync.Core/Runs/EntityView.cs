using FunctionsSync.Core.Api;


namespace FunctionsSync.Core.Runs;

/// <param name="Freshness">The lag of the changes this run stored (incremental runs that stored changes); null otherwise.</param>
/// <param name="Targeted">How many records a notified run reads of this feed by id (<see cref="SyncRun.Targets"/>); null: the feed is read from its mark.</param>
public sealed record EntityView(string EntityType, EntityRunState State, CountersView Counters, FreshnessView? Freshness, int? Targeted = null);
