namespace FunctionsSync.Core.Connections;

// The connection routes' list answers.

/// <param name="ContinuationToken">Set while more connections follow: pass it back for the next page.</param>
public sealed record ConnectionListView(IReadOnlyList<ConnectionView> Connections, string? ContinuationToken = null);

public sealed record ActivityView(DateTimeOffset At, string? Actor, string? Action, string? Subject, string? Details);

public sealed record ActivityListView(IReadOnlyList<ActivityView> Activity);
