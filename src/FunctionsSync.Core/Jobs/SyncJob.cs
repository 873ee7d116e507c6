using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;

namespace FunctionsSync.Core.Jobs;

/// <summary>A queue message: run this (queued) run of this connection.</summary>
public sealed record SyncJob(string RunId, string ConnectionId, string OrganizationId, SyncMode Mode, IReadOnlyList<EntityType> EntityTypes, RunTrigger Trigger, string? CycleId);
