using System.Text;
using FunctionsSync.Marketplaces.Http;

namespace FunctionsSync.UnitTests.Marketplaces;

public sealed class FileLinesTests : IDisposable
{
    private readonly string path = Path.Combine(Path.GetTempPath(), $"file-lines-{Guid.NewGuid():N}.tsv");

    [Fact]
    public void Lines_come_back_with_offsets_a_reader_can_seek_to_even_past_its_buffer()
    {
        var longLine = new string('x', 200_000);
        File.WriteAllText(path, $"header\r\nfirst\n{longLine}\nthird ü\n\nlast without newline", new UTF8Encoding(false));
        var lines = new List<(long Offset, string Text)>();
        using (var reader = new FileLines(path))
        {
            while (true)
            {
                var offset = reader.Position;
                if (!reader.TryRead(out var line))
                {
                    break;
                }

                lines.Add((offset, line));
            }
        }

        Assert.Equal(["header", "first", longLine, "third ü", "", "last without newline"], lines.Select(l => l.Text));
        using var again = new FileLines(path);
        foreach (var (offset, text) in lines)
        {
            again.Seek(offset);
            Assert.True(again.TryRead(out var line));
            Assert.Equal(text, line);
        }

        again.Seek(again.Length);
        Assert.False(again.TryRead(out _));
    }

    public void Dispose() => File.Delete(path);
}
