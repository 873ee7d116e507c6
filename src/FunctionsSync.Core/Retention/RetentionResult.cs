namespace FunctionsSync.Core.Retention;

/// <param name="More">True when the pass stopped at its batch limits with work left (the caller may run it again at once).</param>
/// <param name="TombstonesDeleted">Tombstone rows older than <see cref="RetentionOptions.TombstoneMaxAge"/> deleted.</param>
public sealed record RetentionResult(int ConnectionsVisited, int RunsDeleted, int ActivityDeleted, int ReceiptsDeleted, int DeliveriesDeleted, bool More, int TombstonesDeleted = 0);
