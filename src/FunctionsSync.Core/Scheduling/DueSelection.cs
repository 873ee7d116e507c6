using FunctionsSync.Core.Connections;

namespace FunctionsSync.Core.Scheduling;

/// <summary>The connections a cycle will run, in start order, and why the others were left out.</summary>
/// <param name="Skipped">The first <see cref="MaxNamed"/> connections left out for a reason a person may act on
/// (disabled, credentials refused, a run in flight), by name; the counts cover them all.</param>
public sealed record DueSelection(IReadOnlyList<Connection> Due, int Disabled, int NeedsAttention, int Active, int NotDue, IReadOnlyList<SkippedConnection> Skipped)
{
    public const int MaxNamed = 100;
}
