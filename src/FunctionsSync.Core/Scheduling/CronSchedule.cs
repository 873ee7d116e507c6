using NCrontab;

namespace FunctionsSync.Core.Scheduling;

/// <summary>
/// A cron expression as Azure Functions timer triggers take it: six fields with seconds
/// (<c>0 */15 * * * *</c>); five-field expressions are accepted too.
/// </summary>
public sealed class CronSchedule
{
    private readonly CrontabSchedule schedule;

    private CronSchedule(string expression, CrontabSchedule schedule)
    {
        Expression = expression;
        this.schedule = schedule;
    }

    public string Expression { get; }

    public static bool TryParse(string? expression, out CronSchedule? cron, out string? error)
    {
        cron = null;
        error = null;
        var text = expression?.Trim() ?? "";
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (fields is not (5 or 6))
        {
            error = $"'{text}' has {fields} fields; a cron expression has 6 (second minute hour day month weekday) or 5.";
            return false;
        }

        var parsed = CrontabSchedule.TryParse(text, new CrontabSchedule.ParseOptions { IncludingSeconds = fields == 6 });
        if (parsed is null)
        {
            error = $"'{text}' is not a valid cron expression.";
            return false;
        }

        cron = new CronSchedule(text, parsed);
        return true;
    }

    /// <summary>
    /// <see cref="TryParse"/>, for a schedule of sync cycles: its first occurrence after <paramref name="from"/> comes
    /// within a year (<c>0 0 31 2 *</c> never fires), and no two of the 1,000 occurrences from there are closer than
    /// <paramref name="minimumInterval"/> (a pattern fires at its fastest on the days it fires at all, so that sample
    /// sees it).
    /// </summary>
    public static bool TryParseSchedule(string? expression, DateTimeOffset from, TimeSpan minimumInterval, out CronSchedule? cron, out string? error)
    {
        if (!TryParse(expression, out cron, out error))
        {
            return false;
        }

        var previous = cron!.NextAfter(from);
        if (previous - from > MaxGap)
        {
            error = $"'{cron.Expression}' does not fire within a year.";
        }

        for (var i = 0; error is null && i < 1_000; i++)
        {
            var next = cron.NextAfter(previous);
            if (next - previous < minimumInterval)
            {
                error = $"'{cron.Expression}' fires more often than every {minimumInterval.TotalSeconds:0} seconds.";
            }

            previous = next;
        }

        cron = error is null ? cron : null;
        return error is null;
    }

    private static readonly TimeSpan MaxGap = TimeSpan.FromDays(366);

    public static CronSchedule Parse(string expression) =>
        TryParse(expression, out var cron, out var error) ? cron! : throw new FormatException(error);

    public static string EveryMinutes(int minutes) => minutes switch
    {
        < 60 => $"0 */{minutes} * * * *",
        _ when minutes % 60 == 0 && minutes < 1440 => $"0 0 */{minutes / 60} * * *",
        _ => "0 0 0 * * *",
    };

    /// <summary>The first occurrence strictly after <paramref name="after"/>, in UTC.</summary>
    public DateTimeOffset NextAfter(DateTimeOffset after)
    {
        var next = schedule.GetNextOccurrence(after.UtcDateTime);
        return new DateTimeOffset(DateTime.SpecifyKind(next, DateTimeKind.Utc));
    }

    /// <summary>Rough period, from two consecutive occurrences; used to spread a cycle's starts.</summary>
    public TimeSpan ApproximatePeriod(DateTimeOffset from)
    {
        var first = NextAfter(from);
        return NextAfter(first) - first;
    }
}
