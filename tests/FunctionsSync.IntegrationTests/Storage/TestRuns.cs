using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;

namespace FunctionsSync.IntegrationTests.Storage;

/// <summary>Runs for the store tests: one order-only run of a connection, started at a given time, in a given status.</summary>
internal static class TestRuns
{
    public static SyncRun New(string connectionId, DateTimeOffset at, RunStatus status, RunTrigger trigger = RunTrigger.Manual) => new()
    {
        RunId = RunIds.New(connectionId, at),
        ConnectionId = connectionId,
        OrganizationId = "org-contract",
        Marketplace = "shopify",
        Mode = SyncMode.Incremental,
        Trigger = trigger,
        EntityTypes = [EntityType.Orders],
        Status = status,
        CreatedAt = at,
        UpdatedAt = at,
        FinishedAt = status.IsFinal() ? at : null,
    };
}
