namespace FunctionsSync.Core.Sync;

/// <summary>Something done at most once per interval (a control check, a progress line): due, it is marked done now.</summary>
internal sealed class Cadence(DateTimeOffset last)
{
    private DateTimeOffset last = last;

    public bool Due(DateTimeOffset now, TimeSpan interval)
    {
        if (now - last < interval)
        {
            return false;
        }

        last = now;
        return true;
    }
}
