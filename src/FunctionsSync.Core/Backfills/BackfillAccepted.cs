namespace FunctionsSync.Core.Backfills;

/// <summary>A backfill queued on the connection's backfill lane: follow it at <see cref="StatusUrl"/> as any run.</summary>
public sealed record BackfillAccepted(string RunId, string ConnectionId, IReadOnlyList<string> EntityTypes, DateTimeOffset From, DateTimeOffset To, string StatusUrl);
