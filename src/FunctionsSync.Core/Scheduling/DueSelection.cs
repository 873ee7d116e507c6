using FunctionsSync.Core.Connections;

namespace FunctionsSync.Core.Scheduling;

/// <summary>The connections a cycle will run, in start order, and why the others were left out.</summary>
public sealed record DueSelection(IReadOnlyList<Connection> Due, int Disabled, int NeedsAttention, int Active, int NotDue);
