namespace FunctionsSync.Core.Events;

/// <summary>
/// One change an operator's screen shows as it happens (<c>GET /api/events</c>). <see cref="Id"/> orders events and is
/// what a reconnecting client sends back as <c>Last-Event-ID</c> (see <see cref="LiveEventIds"/>).
/// </summary>
/// <param name="Data">The event's JSON body (camelCase, as the API writes).</param>
public sealed record LiveEvent(string Id, string Type, string OrganizationId, DateTimeOffset At, string Data);
