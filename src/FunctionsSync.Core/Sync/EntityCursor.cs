using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;

namespace FunctionsSync.Core.Sync;

/// <summary>
/// Where a connection's feed of one entity type stands. <see cref="HighWaterMark"/> moves only when a run has read
/// the whole feed; mid-run, <see cref="PageToken"/> says which page comes next.
/// </summary>
public sealed record EntityCursor
{
    public required EntityType EntityType { get; init; }

    /// <summary>Latest change time fully synced; the next incremental run reads from here minus the overlap.</summary>
    public DateTimeOffset? HighWaterMark { get; init; }

    /// <summary>The run these in-run fields belong to; fields of another run are ignored.</summary>
    public string? RunId { get; init; }

    /// <summary>The <c>since</c> the run's feed started with (null: everything).</summary>
    public DateTimeOffset? RunSince { get; init; }

    /// <summary>Token of the next page to fetch; null with <see cref="Completed"/> false means the first page.</summary>
    public string? PageToken { get; init; }

    /// <summary>Latest change time seen so far in this run.</summary>
    public DateTimeOffset? PendingHighWaterMark { get; init; }

    /// <summary>Earliest change time of a record rejected in this run: the cursor must not pass it.</summary>
    public DateTimeOffset? HoldBefore { get; init; }

    /// <summary>A record without a readable change time was rejected: the cursor must not move at all.</summary>
    public bool HoldAll { get; init; }

    public bool Completed { get; init; }

    public long? ReportedTotal { get; init; }

    /// <summary>What the marketplace counted in the feed this run reads, where the adapter states it: the sum of its pages' <see cref="FetchPage.Expected"/>.</summary>
    public long? Expected { get; init; }

    /// <summary>Records (mapped or rejected) this run's feed delivered so far.</summary>
    public long Delivered { get; init; }

    /// <summary>Records the marketplace counted and the feed did not deliver: a finished feed with a shortfall did not read its window whole.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long Shortfall => Expected is { } expected && Delivered < expected ? expected - Delivered : 0;

    public DateTimeOffset? LastSyncedAt { get; init; }

    /// <summary>
    /// Where the marketplace's own deletion list (<see cref="IDeletionSignals"/>) was last read to, less the overlap:
    /// the next incremental run reads it from here, so a run that failed before reading it leaves no gap. Null: from
    /// the feed's window (<see cref="RunSince"/>).
    /// </summary>
    public DateTimeOffset? DeletionsReadTo { get; init; }

    /// <summary>
    /// Records of this entity type that runs have stored for the connection, ever: each page adds what it created,
    /// in the checkpoint that saves its cursor, so a page repeated after a crash is counted once.
    /// </summary>
    public long StoredRecords { get; init; }

    /// <summary>
    /// The cursor as <paramref name="runId"/>'s feed starts: a full run reads everything, an incremental one from the
    /// high-water mark less <paramref name="overlap"/> (changes that became visible late), a backfill from its
    /// <paramref name="window"/>'s start; the in-run fields cleared.
    /// </summary>
    public EntityCursor StartFeed(string runId, SyncMode mode, TimeSpan overlap, BackfillWindow? window = null) => WithoutRun() with
    {
        RunId = runId,
        RunSince = mode switch
        {
            SyncMode.Backfill => window?.From,
            SyncMode.Full => null,
            _ => HighWaterMark - overlap,
        },
    };

    /// <summary>
    /// The cursor rewound to a full read (an operator's reset): no high-water mark and nothing of a run; when it last
    /// synced and what runs stored stay, as the records do.
    /// </summary>
    public EntityCursor Rewound() => WithoutRun() with { HighWaterMark = null, DeletionsReadTo = null };

    /// <summary>The cursor without anything of a run: no run, window, position, holds, counts.</summary>
    private EntityCursor WithoutRun() => this with
    {
        RunId = null,
        RunSince = null,
        PageToken = null,
        PendingHighWaterMark = null,
        HoldBefore = null,
        HoldAll = false,
        Completed = false,
        ReportedTotal = null,
        Expected = null,
        Delivered = 0,
    };

    /// <summary>
    /// The cursor after a page whose records were written (<paramref name="created"/> of them new): the next page's
    /// token, the newest change seen, what a rejected record holds back, the first total reported. On the feed's last
    /// page the high-water mark moves (<see cref="Complete"/>).
    /// </summary>
    public EntityCursor Observe(FetchPage page, int created, DateTimeOffset now)
    {
        var newestSeen = page.Records.Count > 0 ? page.Records.Max(r => r.UpdatedAt) : (DateTimeOffset?)null;
        var oldestRejected = page.Rejected.Where(r => r.UpdatedAt is not null).Select(r => r.UpdatedAt).Min();
        var next = this with
        {
            PageToken = page.NextPageToken,
            PendingHighWaterMark = Max(PendingHighWaterMark, newestSeen),
            HoldBefore = Min(HoldBefore, oldestRejected),
            HoldAll = HoldAll || page.Rejected.Any(r => r.UpdatedAt is null),
            Completed = page.NextPageToken is null,
            // The first total the marketplace reports (a report's size is known only once it is made).
            ReportedTotal = ReportedTotal ?? page.TotalCount,
            Expected = page.Expected is { } expected ? (Expected ?? 0) + expected : Expected,
            Delivered = Delivered + page.Records.Count + page.Rejected.Count,
            StoredRecords = StoredRecords + created,
        };
        return next.Completed ? next.Complete(now) : next;
    }

    /// <summary>
    /// The cursor after a page of a targeted read (<see cref="Runs.SyncRun.Targets"/>): the next page and what it stored,
    /// nothing else. The records named are a few of the feed, so neither their change times nor what they hold back
    /// say anything of the feed's mark, which stays where the schedule's reads put it.
    /// </summary>
    public EntityCursor ObserveTargeted(FetchPage page, int created, DateTimeOffset now) => this with
    {
        PageToken = page.NextPageToken,
        Completed = page.NextPageToken is null,
        Delivered = Delivered + page.Records.Count + page.Rejected.Count,
        StoredRecords = StoredRecords + created,
        LastSyncedAt = page.NextPageToken is null ? now : LastSyncedAt,
    };

    /// <summary>
    /// The feed was read to its end: the high-water mark moves to the newest change seen, but never past a rejected
    /// record, and not at all when the feed fell short of the marketplace's count (the next run reads the window again).
    /// </summary>
    public EntityCursor Complete(DateTimeOffset now)
    {
        if (HoldAll || Shortfall > 0)
        {
            return this with { LastSyncedAt = now };
        }

        var candidate = PendingHighWaterMark;
        if (HoldBefore is { } hold)
        {
            candidate = Min(candidate, hold - TimeSpan.FromSeconds(1));
        }

        return this with { HighWaterMark = Max(HighWaterMark, candidate), LastSyncedAt = now };
    }

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;
}
