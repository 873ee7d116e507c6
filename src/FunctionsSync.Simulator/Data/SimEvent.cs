namespace FunctionsSync.Simulator.Data;

/// <summary>An entry of a store's activity log: record <see cref="Index"/> was changed (<c>update</c>) or deleted (<c>destroy</c>) at <see cref="At"/>.</summary>
public sealed record SimEvent(int Index, string Action, DateTimeOffset At);
