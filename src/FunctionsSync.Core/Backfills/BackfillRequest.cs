namespace FunctionsSync.Core.Backfills;

/// <summary>The body of <c>POST /api/connections/{id}/backfill</c>.</summary>
public sealed class BackfillRequest
{
    /// <summary>The feeds to read again; empty or absent: every feed the marketplace has.</summary>
    public List<string>? EntityTypes { get; set; }

    /// <summary>The earliest change time to read (required).</summary>
    public DateTimeOffset? From { get; set; }

    /// <summary>The latest change time to read; absent, or later than now: now.</summary>
    public DateTimeOffset? To { get; set; }
}
