using System.Diagnostics;
using System.Net;

namespace FunctionsSync.IntegrationTests.Infrastructure;

/// <summary>
/// The self-hosted runtime in a process of its own, so a test can kill it (<c>kill -9</c>) at any instant: on a port
/// Kestrel picks (port 0; the address read back from its "Now listening on" line, so no port is chosen here and
/// released before the child binds it), returned once it answers its health check. Killed with its tree when disposed.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private HostProcess(Process process, string url)
    {
        Process = process;
        Url = url;
    }

    public Process Process { get; }

    public string Url { get; }

    /// <summary>The settings of every test host (<see cref="HostApp.Defaults"/>) for <paramref name="prefix"/>, with <paramref name="settings"/> on top.</summary>
    public static async Task<HostProcess> StartAsync(AzuriteFixture storage, string prefix, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)))!;
        var dll = Path.Combine(Repository.Root, "src", "FunctionsSync.SelfHosted", "bin", configuration, "net10.0", "FunctionsSync.SelfHosted.dll");
        var start = new ProcessStartInfo("dotnet", $"\"{dll}\" --urls http://127.0.0.1:0")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var all = HostApp.Defaults(storage, prefix, new Dictionary<string, string?> { ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information" }
            .Concat(settings ?? new Dictionary<string, string?>()).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value));
        foreach (var (key, value) in all)
        {
            start.Environment[key.Replace(":", "__")] = value;
        }

        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            const string marker = "Now listening on: ";
            if (e.Data?.IndexOf(marker, StringComparison.Ordinal) is { } at and >= 0)
            {
                listening.TrySetResult(e.Data[(at + marker.Length)..].Trim());
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("host process exited at start-up"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var host = new HostProcess(process, "");
        try
        {
            var url = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
            using var probe = new HttpClient();
            await Eventually.WaitForAsync(async () =>
            {
                Assert.False(process.HasExited, "host process exited at start-up");
                try
                {
                    return (await probe.GetAsync($"{url}/api/health")).StatusCode;
                }
                catch (HttpRequestException)
                {
                    return (HttpStatusCode)0;
                }
            }, status => status == HttpStatusCode.OK, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200));
            return new HostProcess(process, url);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client of the host with the admin key.</summary>
    public HttpClient Client()
    {
        var client = new HttpClient { BaseAddress = new Uri(Url) };
        client.DefaultRequestHeaders.Add("X-Api-Key", HostApp.AdminKey);
        return client;
    }

    /// <summary><c>kill -9</c>: no shutdown, nothing flushed.</summary>
    public async Task KillAsync()
    {
        Process.Kill(entireProcessTree: true);
        await Process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            await KillAsync();
        }

        Process.Dispose();
    }
}
