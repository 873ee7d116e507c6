using System.Security.Cryptography;
using System.Text;
using FunctionsSync.Core.Connections;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Marketplaces.Amazon;

/// <summary>
/// Report documents on local disk, decompressed, while a run reads them page by page (a page token holds a byte
/// offset into one). A file appears whole or not at all (written aside, then renamed); a process that lacks it (a
/// restart, another replica) downloads it again. Each is deleted once read; files of runs that never finished are
/// swept after <see cref="AmazonReportOptions.AbandonedFileAge"/>.
/// </summary>
public sealed class AmazonReportFiles(IOptions<AmazonReportOptions> options, TimeProvider time)
{
    public string PathOf(Connection connection, string documentId)
    {
        // Ids are the marketplace's and the connection's: hashed, so no character of theirs reaches the file system.
        var name = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(connection.Id + "\n" + documentId)))[..32];
        return Path.Combine(options.Value.Directory, name + ".tsv");
    }

    /// <summary>Writes the document through <paramref name="write"/> and makes it visible under its path once complete.</summary>
    public async Task StoreAsync(Connection connection, string documentId, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var path = PathOf(connection, documentId);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Sweep();
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

    public void Delete(Connection connection, string documentId) => File.Delete(PathOf(connection, documentId));

    private void Sweep()
    {
        var cutoff = time.GetUtcNow() - options.Value.AbandonedFileAge;
        foreach (var file in new DirectoryInfo(options.Value.Directory).EnumerateFiles())
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
