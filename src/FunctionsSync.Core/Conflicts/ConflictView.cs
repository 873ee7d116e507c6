using System.Text.Json;
using FunctionsSync.Core.Api;
using FunctionsSync.Core.Records;

namespace FunctionsSync.Core.Conflicts;

/// <summary>A conflict as the API shows it; <c>source</c> is the marketplace's version that was not applied.</summary>
/// <param name="Resolutions">What <c>POST /api/conflicts/{id}/resolve</c> takes for it now: none once closed;
/// <c>accept_source</c> and <c>keep_target</c> only with a marketplace version to accept or set aside (an
/// <c>auth_error</c> has none).</param>
public sealed record ConflictView(
    string Id, string ConnectionId, string OrganizationId, ConflictType Type, ConflictStatus Status, string? EntityType, string? ExternalId,
    string Message, JsonElement? Source, string RunId, DateTimeOffset DetectedAt, DateTimeOffset UpdatedAt, int Attempts, DateTimeOffset? NextAttemptAt,
    ConflictResolution? Resolution, string? ResolvedBy, DateTimeOffset? ResolvedAt, string? Note, IReadOnlyList<ConflictResolution> Resolutions)
{
    public static ConflictView From(Conflict c) => new(
        c.Id, c.ConnectionId, c.OrganizationId, c.Type, c.Status, c.EntityType?.ToWire(), c.ExternalId, c.Message,
        c.SourceJson is { } json ? RecordJson.ToApi(json) : null, c.RunId, c.DetectedAt, c.UpdatedAt, c.Attempts, c.NextAttemptAt,
        c.Resolution, c.ResolvedBy, c.ResolvedAt, c.Note, ResolutionsOf(c));

    /// <summary>The resolutions <see cref="ConflictResolver"/> accepts for the conflict as it stands.</summary>
    public static IReadOnlyList<ConflictResolution> ResolutionsOf(Conflict c) =>
        c.Status is not (ConflictStatus.Open or ConflictStatus.Retrying) ? []
        : c.SourceJson is null ? [ConflictResolution.Retry, ConflictResolution.Skip]
        : [ConflictResolution.AcceptSource, ConflictResolution.KeepTarget, ConflictResolution.Retry, ConflictResolution.Skip];
}
