namespace FunctionsSync.Core.Outbound;

/// <summary>The outbound policy refused to dial the address a name resolved to; its message is safe to show the caller.</summary>
public sealed class OutboundRefusedException(string message) : HttpRequestException(message);
