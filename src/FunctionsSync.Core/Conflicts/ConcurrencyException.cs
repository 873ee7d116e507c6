namespace FunctionsSync.Core.Conflicts;

/// <summary>A conditional write lost to a concurrent change; read again and decide again.</summary>
public sealed class ConcurrencyException(string message) : Exception(message);
