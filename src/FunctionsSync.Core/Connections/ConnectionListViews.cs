namespace FunctionsSync.Core.Connections;

// The connection routes' list answers.

public sealed record ConnectionListView(IReadOnlyList<ConnectionView> Connections);

public sealed record ActivityView(DateTimeOffset At, string? Actor, string? Action, string? Subject, string? Details);

public sealed record ActivityListView(IReadOnlyList<ActivityView> Activity);
