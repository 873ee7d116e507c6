using FunctionsSync.Core.Api;


namespace FunctionsSync.Core.Runs;

public sealed record EntityView(string EntityType, EntityRunState State, CountersView Counters);
