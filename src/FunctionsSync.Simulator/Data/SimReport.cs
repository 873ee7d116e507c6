namespace FunctionsSync.Simulator.Data;

/// <summary>
/// An Amazon report as requested: its window over the store's orders, how many times it has been polled (it is done
/// after the store's <see cref="SimStoreConfig.ReportPolls"/>) and whether it was set to fail.
/// </summary>
public sealed class SimReport(string reportId, string reportType, DateTimeOffset dataStart, DateTimeOffset dataEnd, DateTimeOffset createdAt, bool fails)
{
    private int polls;

    public string ReportId { get; } = reportId;
    public string ReportType { get; } = reportType;
    public DateTimeOffset DataStart { get; } = dataStart;
    public DateTimeOffset DataEnd { get; } = dataEnd;
    public DateTimeOffset CreatedAt { get; } = createdAt;
    public bool Fails { get; } = fails;

    /// <summary>The report's document, once it is done: the report id is reused, as the document belongs to it alone.</summary>
    public string DocumentId => "amzn1.tortuga.4." + ReportId;

    /// <summary>Counts a poll and answers the status it sees: IN_QUEUE, IN_PROGRESS…, then DONE (or FATAL).</summary>
    public string Poll(int pollsUntilDone)
    {
        var seen = Interlocked.Increment(ref polls);
        return seen > pollsUntilDone ? (Fails ? "FATAL" : "DONE") : seen == 1 ? "IN_QUEUE" : "IN_PROGRESS";
    }

    /// <summary>Whether a poll has answered DONE, after which the document can be fetched.</summary>
    public bool IsDone(int pollsUntilDone) => !Fails && Volatile.Read(ref polls) > pollsUntilDone;
}
