using System.Text.Json;
using FunctionsSync.Core.Api;
using FunctionsSync.Core.Records;

namespace FunctionsSync.Core.Conflicts;

/// <summary>A conflict as the API shows it; <c>source</c> is the marketplace's version that was not applied.</summary>
public sealed record ConflictView(
    string Id, string ConnectionId, string OrganizationId, ConflictType Type, ConflictStatus Status, string? EntityType, string? ExternalId,
    string Message, JsonElement? Source, string RunId, DateTimeOffset DetectedAt, DateTimeOffset UpdatedAt, int Attempts, DateTimeOffset? NextAttemptAt,
    ConflictResolution? Resolution, string? ResolvedBy, DateTimeOffset? ResolvedAt, string? Note)
{
    public static ConflictView From(Conflict c) => new(
        c.Id, c.ConnectionId, c.OrganizationId, c.Type, c.Status, c.EntityType?.ToWire(), c.ExternalId, c.Message,
        c.SourceJson is { } json ? JsonDocument.Parse(json).RootElement.Clone() : null, c.RunId, c.DetectedAt, c.UpdatedAt, c.Attempts, c.NextAttemptAt,
        c.Resolution, c.ResolvedBy, c.ResolvedAt, c.Note);
}
