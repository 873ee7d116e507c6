using FunctionsSync.Simulator.GraphQl;

namespace FunctionsSync.Simulator.Data;

/// <summary>
/// A Shopify bulk query: CREATED, RUNNING for the store's <see cref="SimStoreConfig.BulkPolls"/> polls, then COMPLETED
/// with its JSONL file written (or FAILED with the part written so far, when the store is set to fail them), or
/// CANCELED by <c>bulkOperationCancel</c>. As at Shopify, the query runs from the moment it is created, whether anyone
/// polls it or not (<see cref="Begin"/>): the file is written in the background, and a poll completes the operation
/// once it has been polled enough and the file is there.
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

    private Task<(string File, long Objects, long Roots)>? writing;

    /// <summary>Starts writing the result in the background, from the store as it is now.</summary>
    public void Begin(Func<SimBulkOperation, (string File, long Objects, long Roots)> write) => writing = Task.Run(() => write(this));

    /// <summary>Counts a poll; past the last one, once the file is written (<see cref="Begin"/>), settles the status.</summary>
    public void Poll(int pollsUntilDone, DateTimeOffset now)
    {
        lock (gate)
        {
            if (!IsRunning)
            {
                return;
            }

            var written = writing ?? throw new InvalidOperationException($"Bulk operation {Id} was never begun.");
            if (++polls <= pollsUntilDone || !written.IsCompleted)
            {
                Status = "RUNNING";
                return;
            }

            (File, ObjectCount, RootObjectCount) = written.GetAwaiter().GetResult();
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
