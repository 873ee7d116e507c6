using FunctionsSync.Core.Records;

namespace FunctionsSync.Core.Runs;

public sealed record EntityProgress(EntityType EntityType, EntityRunState State, RunCounters Counters);
