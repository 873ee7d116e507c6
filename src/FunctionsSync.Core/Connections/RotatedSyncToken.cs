using FunctionsSync.Core.Api;

namespace FunctionsSync.Core.Connections;

/// <summary>A connection's new sync token, shown once.</summary>
public sealed record RotatedSyncToken(string ConnectionId, string SyncToken);
