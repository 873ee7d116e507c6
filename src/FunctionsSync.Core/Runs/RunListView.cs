namespace FunctionsSync.Core.Runs;

public sealed record RunListView(IReadOnlyList<RunView> Runs);
