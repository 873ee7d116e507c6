using System.Security.Cryptography;
using System.Text;
using FunctionsSync.Core.Connections;

namespace FunctionsSync.Marketplaces.Http;

/// <summary>
/// Files a marketplace makes for a run (an Amazon report, a Shopify bulk result) on local disk while the run reads
/// them page by page (a page token holds a byte offset into one). A file appears whole or not at all: it is written
/// as <c>.part</c> (kept across attempts, so a broken download resumes where it stopped) and renamed once complete. A
/// process that lacks it (a restart elsewhere, another replica) downloads it again. Each is deleted once read; files
/// of runs that never finished are swept after <paramref name="abandonedAge"/>.
/// </summary>
public sealed class DocumentFiles(string directory, TimeSpan abandonedAge, TimeProvider time)
{
    public string PathOf(Connection connection, string documentId)
    {
        // Ids are the marketplace's and the connection's: hashed, so no character of theirs reaches the file system.
        var name = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(connection.Id + "\n" + documentId)))[..32];
        return Path.Combine(directory, name + ".data");
    }

    public string PartOf(Connection connection, string documentId) => PathOf(connection, documentId) + ".part";

    /// <summary>Writes the whole document through <paramref name="write"/> and makes it visible under its path once complete.</summary>
    public async Task StoreAsync(Connection connection, string documentId, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var path = PathOf(connection, documentId);
        Prepare();
        var part = $"{path}.{Guid.NewGuid():N}.part";
        try
        {
            await using (var file = new FileStream(part, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await write(file, cancellationToken);
            }

            File.Move(part, path, overwrite: true);
        }
        finally
        {
            File.Delete(part);
        }
    }

    /// <summary>The bytes of the document's part file so far (0 when there is none), after which a download may resume.</summary>
    public long PartLength(Connection connection, string documentId)
    {
        var part = new FileInfo(PartOf(connection, documentId));
        return part.Exists ? part.Length : 0;
    }

    /// <summary>
    /// Appends to (or, when <paramref name="fromStart"/>, starts over) the document's part file through
    /// <paramref name="write"/>; what arrived stays even when the write fails part-way.
    /// </summary>
    public async Task AppendAsync(Connection connection, string documentId, bool fromStart, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        Prepare();
        await using var file = new FileStream(PartOf(connection, documentId), fromStart ? FileMode.Create : FileMode.Append, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        await write(file, cancellationToken);
    }

    /// <summary>The part file is the whole document: it becomes visible under its path.</summary>
    public void Complete(Connection connection, string documentId) =>
        File.Move(PartOf(connection, documentId), PathOf(connection, documentId), overwrite: true);

    public void Delete(Connection connection, string documentId)
    {
        // File.Delete throws when the folder is not there (nothing was ever downloaded).
        foreach (var path in new[] { PathOf(connection, documentId), PartOf(connection, documentId) })
        {
            if (File.Exists(path))
            {
                File.Delete(path);
            }
        }
    }

    private void Prepare()
    {
        Directory.CreateDirectory(directory);
        var cutoff = time.GetUtcNow() - abandonedAge;
        foreach (var file in new DirectoryInfo(directory).EnumerateFiles())
        {
            try
            {
                if (file.LastWriteTimeUtc < cutoff.UtcDateTime)
                {
                    file.Delete();
                }
            }
            catch (IOException)
            {
                // In use or gone: the next sweep sees it again.
            }
        }
    }
}
