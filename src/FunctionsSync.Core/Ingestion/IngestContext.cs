using FunctionsSync.Core.Records;
using FunctionsSync.Core.Runs;

namespace FunctionsSync.Core.Ingestion;

/// <param name="PageSeq">The page's number in the run; with <paramref name="RunId"/> it recognises a repeated page.</param>
public sealed record IngestContext(string ConnectionId, string RunId, long PageSeq, EntityType EntityType, SyncMode Mode);
