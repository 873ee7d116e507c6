using CsCheck;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.UnitTests.Storage;

/// <summary>The storage layer's pure helpers: key escaping, continuation tokens, row-prefix ranges, the stable hash that places records in buckets.</summary>
public sealed class TableHelperTests
{
    private static readonly char[] Forbidden = ['/', '\\', '#', '?'];

    [Fact]
    public void Any_id_encodes_to_a_legal_table_key_and_decodes_back() =>
        Gen.String[0, 60].Sample(id =>
        {
            var key = TableKeys.Encode(id);
            Assert.True(key.IndexOfAny(Forbidden) < 0 && !key.Any(char.IsControl), $"'{key}' is not a legal key");
            Assert.Equal(id, TableKeys.Decode(key));
        }, iter: 2_000, seed: "0000001diBx7", threads: 1);

    [Theory]
    [InlineData("plain-id_1.2", "plain-id_1.2")]
    [InlineData("a/b", "a%002Fb")]
    [InlineData("100%", "100%0025")]
    [InlineData("#?", "%0023%003F")]
    public void Keys_escape_only_what_Table_Storage_refuses_and_the_escape_itself(string id, string key) =>
        Assert.Equal(key, TableKeys.Encode(id));

    [Fact]
    public void Continuation_tokens_round_trip_and_are_url_safe() =>
        Gen.String[1, 200].Sample(token =>
        {
            var encoded = Continuation.Encode(token)!;
            Assert.DoesNotContain('+', encoded);
            Assert.DoesNotContain('/', encoded);
            Assert.DoesNotContain('=', encoded);
            Assert.Equal(token, Continuation.Decode(encoded));
        }, iter: 1_000, seed: "0000001diBx7", threads: 1);

    [Theory]
    [InlineData("not base64 !")]
    [InlineData("dDE6")] // "t1:" with nothing after it
    [InlineData("eHg6YWJj")] // "xx:abc": another marker
    public void A_token_this_service_did_not_hand_out_is_refused(string value) =>
        Assert.Throws<FormatException>(() => Continuation.Decode(value));

    [Fact]
    public void No_token_is_no_continuation()
    {
        Assert.Null(Continuation.Encode(null));
        Assert.Null(Continuation.Decode(null));
        Assert.Null(Continuation.Decode(""));
    }

    [Fact]
    public void A_row_prefix_range_holds_exactly_the_keys_that_start_with_the_prefix() =>
        // Table Storage orders row keys by ordinal comparison, so [prefix, After(prefix)) is the prefix's key range.
        Gen.Select(Gen.String[1, 8], Gen.String[0, 12], Gen.Bool).Sample((prefix, tail, extend) =>
        {
            var key = extend ? prefix + tail : tail;
            var inRange = string.CompareOrdinal(key, prefix) >= 0 && string.CompareOrdinal(key, TableQueries.After(prefix)) < 0;
            Assert.Equal(key.StartsWith(prefix, StringComparison.Ordinal), inRange);
        }, iter: 5_000, seed: "0000001diBx7", threads: 1);

    [Fact]
    public void A_prefix_filter_names_its_partition_and_range_with_quotes_escaped_and_refuses_a_prefix_with_no_successor()
    {
        Assert.Equal("PartitionKey eq 'o''brien' and RowKey ge 'log|' and RowKey lt 'log}'", TableQueries.PartitionPrefix("o'brien", "log|"));
        Assert.Equal("PartitionKey eq 'p' and RowKey ge 'a' and RowKey lt 'b'", TableQueries.PartitionRange("p", "a", "b"));
        Assert.Throws<ArgumentException>(() => TableQueries.After(""));
        Assert.Throws<ArgumentException>(() => TableQueries.After("a" + char.MaxValue));
    }

    [Fact]
    public void The_stable_hash_is_fixed_across_processes_and_releases()
    {
        // Bucket placement depends on it: a changed hash would strand every stored record.
        Assert.Equal(2166136261u, TableKeys.StableHash(""));
        Assert.Equal(TableKeys.StableHash("c1|orders|4000000001"), TableKeys.StableHash("c1|orders|4000000001"));
        Assert.NotEqual(TableKeys.StableHash("a"), TableKeys.StableHash("b"));
    }
}
