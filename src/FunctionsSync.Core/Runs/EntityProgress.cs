using FunctionsSync.Core.Records;

namespace FunctionsSync.Core.Runs;

/// <param name="Lag">How long the changes this run stored took from the marketplace (incremental runs; null: none counted).</param>
public sealed record EntityProgress(EntityType EntityType, EntityRunState State, RunCounters Counters, LagHistogram? Lag = null);
