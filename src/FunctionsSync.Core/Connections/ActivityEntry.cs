namespace FunctionsSync.Core.Connections;

/// <summary>Something a person (or the automatic policy) did to a connection's data.</summary>
/// <param name="Actor">Who: <c>admin</c>, <c>org:{id}</c> or <c>policy</c>.</param>
/// <param name="Action">What, e.g. <c>conflict.resolved</c>, <c>record.edited</c>.</param>
/// <param name="Subject">What it was done to (a conflict id, a record).</param>
public sealed record ActivityEntry(string ConnectionId, DateTimeOffset At, string Actor, string Action, string Subject, string? Details);
