using System.Text;

namespace FunctionsSync.Marketplaces.Http;

/// <summary>
/// Lines of a local text file with the byte offset each starts at, so a page token can name where the next page
/// begins and a resumed run seeks there instead of reading from the top.
/// </summary>
internal sealed class FileLines(string path) : IDisposable
{
    private readonly FileStream file = new(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1, FileOptions.SequentialScan);
    private byte[] buffer = new byte[1 << 16];
    private long bufferAt;
    private int start;
    private int end;

    /// <summary>The offset of the next line to be read.</summary>
    public long Position => bufferAt + start;

    public long Length => file.Length;

    public void Seek(long offset)
    {
        file.Seek(offset, SeekOrigin.Begin);
        bufferAt = offset;
        start = end = 0;
    }

    /// <summary>The next line without its line break; false at the end of the file.</summary>
    public bool TryRead(out string line)
    {
        if (!TryNext(out var from, out var to))
        {
            line = "";
            return false;
        }

        line = Encoding.UTF8.GetString(buffer, from, to - from);
        return true;
    }

    /// <summary>The next line's UTF-8 bytes without its line break (valid until the next read); false at the end of the file.</summary>
    public bool TryReadUtf8(out ReadOnlySpan<byte> line)
    {
        if (!TryNext(out var from, out var to))
        {
            line = default;
            return false;
        }

        line = buffer.AsSpan(from, to - from);
        return true;
    }

    private bool TryNext(out int from, out int to)
    {
        while (true)
        {
            var newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
            if (newline >= 0)
            {
                (from, to) = (start, WithoutReturn(start, newline));
                start = newline + 1;
                return true;
            }

            var remaining = end - start;
            if (remaining == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            Buffer.BlockCopy(buffer, start, buffer, 0, remaining);
            bufferAt += start;
            start = 0;
            end = remaining;
            var read = file.Read(buffer, end, buffer.Length - end);
            if (read == 0)
            {
                (from, to) = (0, WithoutReturn(0, remaining));
                start = end;
                return remaining > 0;
            }

            end += read;
        }
    }

    private int WithoutReturn(int from, int to) => to > from && buffer[to - 1] == '\r' ? to - 1 : to;

    public void Dispose() => file.Dispose();
}
