using System.IO.Compression;
using System.Text;
using FunctionsSync.Marketplaces.Http;

namespace FunctionsSync.UnitTests.Marketplaces;

/// <summary>
/// .NET's GZipStream decompresses a file cut short without an error (checked here, so a framework that starts to throw
/// is noticed); <see cref="GzipMember"/> tells a whole file from a cut one by its trailer.
/// </summary>
public sealed class GzipMemberTests
{
    private static readonly byte[] Text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 20_000).Select(i => $"row {i}\tsku-{i % 97}\t{i * 7}\n")));

    private static byte[] Compressed()
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Text);
        }

        return buffer.ToArray();
    }

    [Fact]
    public async Task A_whole_file_decompresses_and_passes()
    {
        using var target = new MemoryStream();
        Assert.True(await GzipMember.DecompressAsync(new MemoryStream(Compressed()), target, CancellationToken.None));
        Assert.Equal(Text, target.ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(2_000)]
    public async Task A_file_cut_short_by_any_number_of_bytes_fails(int cut)
    {
        var file = Compressed();
        var shortened = file[..^cut];
        using (var quiet = new GZipStream(new MemoryStream(shortened), CompressionMode.Decompress))
        {
            // The framework's own reader: no error, whatever it lost.
            await quiet.CopyToAsync(Stream.Null);
        }

        Assert.False(await GzipMember.DecompressAsync(new MemoryStream(shortened), Stream.Null, CancellationToken.None));
    }

    [Fact]
    public async Task A_file_whose_checksum_disagrees_fails()
    {
        var file = Compressed();
        file[^8] ^= 0x01;
        Assert.False(await GzipMember.DecompressAsync(new MemoryStream(file), Stream.Null, CancellationToken.None));
    }

    [Fact]
    public async Task A_file_read_a_few_bytes_at_a_time_passes()
    {
        using var target = new MemoryStream();
        Assert.True(await GzipMember.DecompressAsync(new TrickleStream(Compressed()), target, CancellationToken.None));
        Assert.Equal(Text.Length, target.Length);
    }

    /// <summary>Answers at most three bytes a read, as a slow network may: the trailer arrives in pieces.</summary>
    private sealed class TrickleStream(byte[] data) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 3));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 3)], cancellationToken);
    }
}
