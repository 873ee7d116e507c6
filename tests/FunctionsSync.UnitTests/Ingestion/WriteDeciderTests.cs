using FunctionsSync.Core.Ingestion;
using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;

namespace FunctionsSync.UnitTests.Ingestion;

public sealed class WriteDeciderTests
{
    private static readonly DateTimeOffset T = new(2025, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly IngestContext Page7 = new("c1", "run-b", 7, EntityType.Orders, SyncMode.Incremental);

    [Fact]
    public void New_record_is_inserted_and_counted_created() =>
        Assert.Equal(new WriteDecision(WriteAction.Insert, RecordChange.Created), WriteDecider.Decide(null, "h1", T, Page7));

    [Fact]
    public void Same_hash_from_an_earlier_run_writes_nothing_and_counts_unchanged() =>
        Assert.Equal(new WriteDecision(WriteAction.None, RecordChange.Unchanged),
            WriteDecider.Decide(new StoredRecordState("h1", T, "run-a", 7, RecordChange.Created), "h1", T.AddSeconds(5), Page7));

    [Theory]
    [InlineData(RecordChange.Created)]
    [InlineData(RecordChange.Updated)]
    public void Same_page_of_the_same_run_repeated_counts_as_the_first_attempt_did(RecordChange first) =>
        Assert.Equal(new WriteDecision(WriteAction.None, first),
            WriteDecider.Decide(new StoredRecordState("h1", T, "run-b", 7, first), "h1", T, Page7));

    [Fact]
    public void Same_run_but_another_page_is_unchanged() =>
        Assert.Equal(RecordChange.Unchanged,
            WriteDecider.Decide(new StoredRecordState("h1", T, "run-b", 6, RecordChange.Created), "h1", T, Page7).CountAs);

    [Fact]
    public void Changed_content_replaces_and_counts_updated() =>
        Assert.Equal(new WriteDecision(WriteAction.Replace, RecordChange.Updated),
            WriteDecider.Decide(new StoredRecordState("h1", T, "run-a", 1, RecordChange.Created), "h2", T.AddSeconds(1), Page7));

    [Theory]
    [InlineData("h1")]
    [InlineData("h2")]
    public void A_tombstone_listed_again_lives_again_as_listed_and_counts_created(string incoming) =>
        // Same content or not, even a version older than the tombstone's: the marketplace lists it, so it exists.
        Assert.Equal(new WriteDecision(WriteAction.Replace, RecordChange.Created),
            WriteDecider.Decide(new StoredRecordState("h1", T, "run-a", 1, RecordChange.Created, DeletedAt: T.AddDays(1)), incoming, T.AddSeconds(-1), Page7));

    [Fact]
    public void An_older_version_never_overwrites_a_newer_one() =>
        Assert.Equal(new WriteDecision(WriteAction.None, RecordChange.Unchanged),
            WriteDecider.Decide(new StoredRecordState("h1", T, "run-a", 1, RecordChange.Created), "h0", T.AddSeconds(-1), Page7));

    [Fact]
    public void A_local_change_with_an_unchanged_marketplace_version_is_kept() =>
        Assert.Equal(new WriteDecision(WriteAction.None, RecordChange.Unchanged),
            WriteDecider.Decide(new StoredRecordState("h1", T, "run-a", 1, RecordChange.Created, LocalHash: "local"), "h1", T.AddSeconds(5), Page7));

    [Fact]
    public void A_local_change_and_a_newer_marketplace_change_conflict() =>
        Assert.Equal(new WriteDecision(WriteAction.Conflict, RecordChange.Conflicted),
            WriteDecider.Decide(new StoredRecordState("h1", T, "run-a", 1, RecordChange.Created, LocalHash: "local"), "h2", T.AddSeconds(5), Page7));

    [Fact]
    public void The_marketplace_catching_up_with_the_local_change_is_applied() =>
        Assert.Equal(new WriteDecision(WriteAction.Replace, RecordChange.Updated),
            WriteDecider.Decide(new StoredRecordState("h1", T, "run-a", 1, RecordChange.Created, LocalHash: "local"), "local", T.AddSeconds(5), Page7));
}
