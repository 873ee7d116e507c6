using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Conflicts;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Ingestion;
using FunctionsSync.Core.Sync;
using FunctionsSync.Core.Webhooks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FunctionsSync.UnitTests.Sync;

/// <summary>The sync engine put together from its parts around the given stores (mocks, usually).</summary>
public static class TestSyncer
{
    public static ConnectionSyncer Create(
        IConnectionStore connections, ISyncStateStore state, IMarketplaceAdapterRegistry registry, IIngestionDispatcher ingestion,
        IConflictStore conflictStore, IWebhookSignal signal, SyncOptions options, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var logger = NullLogger<ConnectionSyncer>.Instance;
        var settings = Options.Create(options);
        var events = TestEvents.Create();
        var metrics = TestMetrics.Create();
        var conflicts = new ConflictRecorder(conflictStore, Options.Create(new ConflictOptions()), TimeProvider.System, metrics, events);
        var checkpoints = new RunCheckpoints(state, signal, time, logger);
        // The adapters here list nothing whole (FullReadListsAll is empty), so nothing is reconciled.
        var reconciliation = new Moq.Mock<Core.Deletions.IRecordReconciliation>().Object;
        // Nor is any feed notified.
        var followUp = new Core.Notifications.NotificationFollowUp(
            new Moq.Mock<Core.Notifications.INotificationInbox>().Object, new Core.Jobs.RunLauncher(state, new Moq.Mock<Core.Jobs.IRunDispatcher>().Object, events, time), Options.Create(new Core.Notifications.NotificationOptions()), time);
        var endings = new RunEndings(connections, state, checkpoints, conflicts, reconciliation, new DeletionSignalReader(reconciliation, checkpoints, settings, time, logger), new Moq.Mock<IRecordQuery>().Object, followUp, metrics, events, settings, time, logger);
        return new ConnectionSyncer(
            connections, state, registry,
            new RunStarter(state, checkpoints, events, settings, time, logger),
            new FeedReader(ingestion, reconciliation, conflicts, checkpoints, endings, metrics, events, settings, TestEvents.Settings(), time, logger),
            endings,
            new StorageOutageRecovery(state, settings, time, logger),
            settings, time, logger);
    }
}
