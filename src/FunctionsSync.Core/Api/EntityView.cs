using FunctionsSync.Core.Runs;

namespace FunctionsSync.Core.Api;

public sealed record EntityView(string EntityType, EntityRunState State, CountersView Counters);
