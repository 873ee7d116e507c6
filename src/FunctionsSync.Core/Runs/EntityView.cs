using FunctionsSync.Core.Api;


namespace FunctionsSync.Core.Runs;

/// <param name="Freshness">The lag of the changes this run stored (incremental runs that stored changes); null otherwise.</param>
public sealed record EntityView(string EntityType, EntityRunState State, CountersView Counters, FreshnessView? Freshness);
