using FunctionsSync.Simulator.GraphQl;

namespace FunctionsSync.Simulator.Data;

/// <summary>
/// A Shopify bulk query: CREATED, RUNNING for the store's <see cref="SimStoreConfig.BulkPolls"/> polls, then COMPLETED
/// with its JSONL file written (or FAILED with the part written so far, when the store is set to fail them), or
/// CANCELED by <c>bulkOperationCancel</c>.
/// </summary>
public sealed class SimBulkOperation(long id, GqlField root, SimKind kind, DateTimeOffset createdAt, int failAfterObjects)
{
    private readonly Lock gate = new();
    private int polls;

    public long Id { get; } = id;
    public string Gid => ShopifyGraphQlNodes.Gid("BulkOperation", Id);
    public GqlField Root { get; } = root;
    public SimKind Kind { get; } = kind;
    public DateTimeOffset CreatedAt { get; } = createdAt;

    /// <summary>0: completes; N: fails after writing N top-level objects.</summary>
    public int FailAfterObjects { get; } = failAfterObjects;

    /// <summary>Whether each object's nested lines follow it (<c>groupObjects</c>); otherwise they are scattered before and after it.</summary>
    public bool Grouped { get; init; }

    /// <summary>Top-level objects (the last ones) counted but left out of the file: a result cut short without an error.</summary>
    public int DropObjects { get; init; }

    public string Status { get; private set; } = "CREATED";
    public DateTimeOffset? CompletedAt { get; private set; }
    public string? File { get; private set; }
    public long ObjectCount { get; private set; }
    public long RootObjectCount { get; private set; }
    public long FileSize { get; private set; }

    private long bytesServed;

    /// <summary>Bytes of the result file sent so far, over every download of it.</summary>
    public long BytesServed => Interlocked.Read(ref bytesServed);

    public void Served(long bytes) => Interlocked.Add(ref bytesServed, bytes);

    public bool IsRunning => Status is "CREATED" or "RUNNING";

    /// <summary>Counts a poll; at the last one runs <paramref name="write"/> (the file, its object count) and settles the status.</summary>
    public void Poll(int pollsUntilDone, DateTimeOffset now, Func<SimBulkOperation, (string File, long Objects, long Roots)> write)
    {
        lock (gate)
        {
            if (!IsRunning)
            {
                return;
            }

            if (++polls <= pollsUntilDone)
            {
                Status = "RUNNING";
                return;
            }

            (File, ObjectCount, RootObjectCount) = write(this);
            FileSize = new FileInfo(File).Length;
            Status = FailAfterObjects > 0 ? "FAILED" : "COMPLETED";
            CompletedAt = now;
        }
    }

    public void Cancel(DateTimeOffset now)
    {
        lock (gate)
        {
            if (IsRunning)
            {
                Status = "CANCELED";
                CompletedAt = now;
            }
        }
    }
}
