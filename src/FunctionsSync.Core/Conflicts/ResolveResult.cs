namespace FunctionsSync.Core.Conflicts;

/// <param name="Conflict">The conflict after the resolution (still open when a retry did not settle it).</param>
/// <param name="Refusal">Why the resolution was not applied; null when it was.</param>
/// <param name="RefusalIsConflict">The refusal is about the conflict's state (409) rather than the request (422).</param>
public sealed record ResolveResult(Conflict? Conflict, string? Refusal = null, bool RefusalIsConflict = false);
