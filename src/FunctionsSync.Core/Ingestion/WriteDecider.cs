namespace FunctionsSync.Core.Ingestion;

/// <summary>The upsert rule every store follows, kept pure so it is tested once.</summary>
public static class WriteDecider
{
    public static WriteDecision Decide(StoredRecordState? stored, string incomingHash, DateTimeOffset incomingUpdatedAt, IngestContext context)
    {
        if (stored is null)
        {
            return new(WriteAction.Insert, RecordChange.Created);
        }

        if (stored.Deleted)
        {
            // Listed again after a full run found it gone (restored, or its listing lagged): it lives, as listed now,
            // and counts as created again (a tombstone is not among the records a connection has stored).
            return new(WriteAction.Replace, RecordChange.Created);
        }

        if (stored.LocalHash is { } local && stored.Hash != incomingHash)
        {
            // Changed here since the last sync. The marketplace catching up with our change is no conflict; an older
            // version is ignored as always; anything else means both sides changed it.
            return incomingHash == local ? new(WriteAction.Replace, RecordChange.Updated)
                : incomingUpdatedAt < stored.SourceUpdatedAt ? new(WriteAction.None, RecordChange.Unchanged)
                : new(WriteAction.Conflict, RecordChange.Conflicted);
        }

        if (stored.Hash == incomingHash)
        {
            // The same page of the same run, repeated after a crash: the first attempt already wrote it,
            // so count it as that attempt did and write nothing.
            var repeated = stored.RunId == context.RunId && stored.PageSeq == context.PageSeq;
            return new(WriteAction.None, repeated ? stored.Change : RecordChange.Unchanged);
        }

        // An older version (overlap window, a marketplace replica lagging) never overwrites a newer one.
        if (incomingUpdatedAt < stored.SourceUpdatedAt)
        {
            return new(WriteAction.None, RecordChange.Unchanged);
        }

        return new(WriteAction.Replace, RecordChange.Updated);
    }
}
