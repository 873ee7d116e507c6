using System.Diagnostics;
using System.Text;

namespace FunctionsSync.IntegrationTests.Infrastructure;

/// <summary>
/// The test runner in a process of its own, its output read as it comes (a child writing to a redirected pipe nobody
/// reads blocks once the pipe is full), killed with its process tree when disposed.
/// </summary>
public sealed class TestRunnerProcess : IDisposable
{
    private readonly StringBuilder output = new();

    private TestRunnerProcess(Process process) => Process = process;

    public Process Process { get; }

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <param name="overrides">Settings of the child that differ from the harness's (e.g. storage reached through a <see cref="TcpGate"/>).</param>
    public static TestRunnerProcess Start(SyncHarness harness, string connectionId, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        // Same configuration (Debug/Release) as this test assembly.
        var configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)))!;
        var dll = Path.Combine(Repository.Root, "tests", "FunctionsSync.TestRunner", "bin", configuration, "net10.0", "FunctionsSync.TestRunner.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing; build the solution first");
        var start = new ProcessStartInfo("dotnet", $"\"{dll}\" --connection {connectionId} --mode full")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in overrides is null ? harness.Settings : harness.Settings.Concat(overrides))
        {
            start.Environment[key.Replace(":", "__")] = value;
        }

        var runner = new TestRunnerProcess(new Process { StartInfo = start });
        runner.Process.OutputDataReceived += (_, e) => runner.Append(e.Data);
        runner.Process.ErrorDataReceived += (_, e) => runner.Append(e.Data);
        runner.Process.Start();
        runner.Process.BeginOutputReadLine();
        runner.Process.BeginErrorReadLine();
        return runner;
    }

    public async Task KillAsync()
    {
        Process.Kill(entireProcessTree: true);
        await Process.WaitForExitAsync();
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
        }

        Process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            // The last lines tell why a runner ended; keep the buffer bounded.
            if (output.Length > 64_000)
            {
                output.Remove(0, output.Length - 32_000);
            }

            output.AppendLine(line);
        }
    }
}
