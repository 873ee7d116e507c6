namespace FunctionsSync.Core.Resets;

/// <summary>What a reset rewound: these feeds' next runs read everything.</summary>
public sealed record CursorResetView(string ConnectionId, IReadOnlyList<string> EntityTypes, DateTimeOffset ResetAt);
