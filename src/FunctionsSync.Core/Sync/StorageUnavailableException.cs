namespace FunctionsSync.Core.Sync;

/// <summary>
/// Storage could not be reached (after the storage client's own retries). Not the run's fault: the syncer stops without
/// failing the run, which stays as last checkpointed, and whoever runs it next (a retried activity, a redelivered job)
/// resumes it from there.
/// </summary>
public sealed class StorageUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
