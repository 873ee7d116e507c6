using System.Diagnostics;
using System.Globalization;

namespace FunctionsSync.Bench;

/// <summary>
/// CPU time so far of the bench's own process (the app, the Durable engine and the simulator) and of Azurite (the pid
/// <c>scripts/bench.sh</c> passes in <c>FUNCTIONSSYNC_BENCH_AZURITE_PID</c>): which side a cycle's time per connection
/// grows on. On 2 cores the two compete, so wall time alone cannot tell.
/// </summary>
internal readonly record struct ProcessCpu(double BenchMs, double? AzuriteMs)
{
    /// <summary>Linux's USER_HZ: /proc reports CPU time in these ticks.</summary>
    private const double TicksPerSecond = 100;

    public static ProcessCpu Now()
    {
        using var self = Process.GetCurrentProcess();
        return new(self.TotalProcessorTime.TotalMilliseconds, AzuriteMsNow());
    }

    /// <summary>Milliseconds of CPU per connection since <paramref name="start"/>: bench, Azurite (null where unknown).</summary>
    public static (double Bench, double? Azurite) PerConnectionSince(ProcessCpu start, int connections)
    {
        var now = Now();
        return (Math.Round((now.BenchMs - start.BenchMs) / connections, 1),
            now.AzuriteMs is { } a && start.AzuriteMs is { } b ? Math.Round((a - b) / connections, 1) : null);
    }

    private static double? AzuriteMsNow()
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable("FUNCTIONSSYNC_BENCH_AZURITE_PID"), out var pid) || !File.Exists($"/proc/{pid}/stat"))
        {
            return null;
        }

        // Fields after the command (which may hold spaces, so split after its closing parenthesis): utime is the 14th
        // field of the line, stime the 15th.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks * 1000 / TicksPerSecond;
    }
}
