using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace FunctionsSync.Marketplaces.Http;

/// <summary>
/// Decompresses a one-member gzip file and says whether it arrived whole. .NET's <see cref="GZipStream"/> ends quietly
/// at the end of its input even when the member's trailer never came (a file cut short decompresses to a shorter file
/// without an error), so the trailer is checked here: the CRC-32 and the length mod 2^32 of what was decompressed
/// against the last eight bytes of the compressed input (RFC 1952, 2.3.1). A file of several members (none of the
/// marketplaces' documents is one) fails the check and is treated as cut short.
/// </summary>
public static class GzipMember
{
    /// <summary>Decompresses <paramref name="compressed"/> into <paramref name="target"/>; false when the file was not whole or not gzip.</summary>
    public static async Task<bool> DecompressAsync(Stream compressed, Stream target, CancellationToken cancellationToken)
    {
        var tail = new TailStream(compressed);
        var crc = new Crc32();
        long length = 0;
        try
        {
            await using var gzip = new GZipStream(tail, CompressionMode.Decompress, leaveOpen: true);
            var buffer = new byte[1 << 16];
            int read;
            while ((read = await gzip.ReadAsync(buffer, cancellationToken)) > 0)
            {
                crc.Append(buffer.AsSpan(0, read));
                length += read;
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        catch (InvalidDataException)
        {
            // What zlib does notice (a damaged block, a checksum it checks itself): not the document as it was made.
            return false;
        }

        // Whatever the decompressor left unread must be nothing: the trailer ends the input.
        while (await tail.ReadAsync(new byte[4096], cancellationToken) > 0)
        {
        }

        return tail.Last8 is { } trailer
            && BinaryPrimitives.ReadUInt32LittleEndian(trailer) == crc.GetCurrentHashAsUInt32()
            && BinaryPrimitives.ReadUInt32LittleEndian(trailer.AsSpan(4)) == (uint)length;
    }

    /// <summary>A read-only pass-through that remembers the last eight bytes read.</summary>
    private sealed class TailStream(Stream inner) : Stream
    {
        private readonly byte[] last = new byte[8];
        private long total;

        public byte[]? Last8 => total < 8 ? null : last;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => total; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Keep(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            return Keep(buffer.Span[..read]);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Keep(ReadOnlySpan<byte> read)
        {
            if (read.Length >= 8)
            {
                read[^8..].CopyTo(last);
            }
            else if (read.Length > 0)
            {
                // Shift what is kept left by the new bytes, then append them.
                last.AsSpan(read.Length).CopyTo(last);
                read.CopyTo(last.AsSpan(8 - read.Length));
            }

            total += read.Length;
            return read.Length;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
