using System.Diagnostics;

namespace FunctionsSync.IntegrationTests.Infrastructure;

/// <summary>
/// Storage for the integration tests: the account named by <c>FUNCTIONSSYNC_TEST_STORAGE</c> (scripts/test.sh starts
/// Azurite and sets it), or an Azurite this fixture starts itself from the repository's pinned npm package.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private Process? azurite;
    private int blobPort, queuePort, tablePort;

    /// <summary>Where a private instance keeps its data (null: in memory).</summary>
    private string? location;

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("FUNCTIONSSYNC_TEST_STORAGE");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            ConnectionString = fromEnvironment;
            return;
        }

        await StartAsync();
    }

    /// <summary>
    /// An Azurite of the caller's own, keeping its data on disk in a temporary folder (deleted with it), which can be
    /// stopped and started again on the same ports with its data (a storage outage).
    /// </summary>
    public static async Task<AzuriteFixture> StartPrivateAsync()
    {
        var fixture = new AzuriteFixture { location = Path.Combine(Path.GetTempPath(), $"fs-azurite-{Guid.NewGuid():N}") };
        await fixture.StartAsync();
        return fixture;
    }

    /// <summary>
    /// Starts on ports Azurite picks itself (port 0, read back from its log: a port chosen here and released could be
    /// taken before Azurite binds it), or again on the same ports and data.
    /// </summary>
    public async Task StartAsync()
    {
        // Started again on its ports right after a kill, Azurite can find one still held for a moment (EADDRINUSE):
        // that start is tried again, a few times; any other failure at start-up is the test's, with Azurite's own words.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StartOnceAsync();
                return;
            }
            catch (AzuriteStartException ex) when (attempt < 5 && ex.Message.Contains("EADDRINUSE", StringComparison.Ordinal))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
            }
        }
    }

    private sealed class AzuriteStartException(string message) : InvalidOperationException(message);

    private async Task StartOnceAsync()
    {
        var root = Repository.Root;
        var exe = Path.Combine(root, "node_modules", ".bin", "azurite");
        if (!File.Exists(exe))
        {
            throw new InvalidOperationException($"Azurite is not installed at {exe}; run 'npm ci' in {root} or use scripts/test.sh.");
        }

        var persistence = location is null ? "--inMemoryPersistence" : $"--location \"{location}\"";
        var listening = new Dictionary<string, TaskCompletionSource<int>>
        {
            ["Blob"] = new(TaskCreationOptions.RunContinuationsAsynchronously),
            ["Queue"] = new(TaskCreationOptions.RunContinuationsAsynchronously),
            ["Table"] = new(TaskCreationOptions.RunContinuationsAsynchronously),
        };
        azurite = new Process
        {
            StartInfo = new ProcessStartInfo(exe,
                $"{persistence} --disableTelemetry --skipApiVersionCheck --loose --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 --blobPort {blobPort} --queuePort {queuePort} --tablePort {tablePort}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            },
            EnableRaisingEvents = true,
        };
        // "Azurite Table service is successfully listening at http://127.0.0.1:40651"
        var said = new System.Collections.Concurrent.ConcurrentQueue<string>();
        azurite.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } text)
            {
                said.Enqueue(text);
            }

            if (e.Data is { } line && line.StartsWith("Azurite ", StringComparison.Ordinal) && line.Contains(" service is successfully listening at ", StringComparison.Ordinal)
                && listening.TryGetValue(line.Split(' ')[1], out var service) && int.TryParse(line[(line.LastIndexOf(':') + 1)..], out var port))
            {
                service.TrySetResult(port);
            }
        };
        azurite.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                said.Enqueue(line);
            }
        };
        azurite.Exited += (_, _) =>
        {
            foreach (var service in listening.Values)
            {
                service.TrySetException(new AzuriteStartException("Azurite exited at start-up: " + string.Join(" | ", said.TakeLast(10))));
            }
        };
        azurite.Start();
        azurite.BeginOutputReadLine();
        azurite.BeginErrorReadLine();
        await Task.WhenAll(listening.Values.Select(t => t.Task)).WaitAsync(TimeSpan.FromSeconds(60));
        (blobPort, queuePort, tablePort) = (listening["Blob"].Task.Result, listening["Queue"].Task.Result, listening["Table"].Task.Result);
        ConnectionString = For(blobPort, queuePort, tablePort);
    }

    /// <summary>
    /// Stops a private instance as an operator would (SIGTERM: Azurite closes its servers and saves its data), and
    /// waits until it has exited; killed only should it not exit within a minute.
    /// </summary>
    public async Task StopAsync()
    {
        if (azurite is not { HasExited: false } process)
        {
            return;
        }

        using (var kill = Process.Start("kill", $"-TERM {process.Id}"))
        {
            await kill!.WaitForExitAsync();
        }

        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        azurite = null;
    }

    /// <summary><c>kill -9</c>: Azurite gets no chance to save; what it had written to its data folder is what it starts again with.</summary>
    public async Task KillAsync()
    {
        if (azurite is not { HasExited: false } process)
        {
            return;
        }

        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
        azurite = null;
    }

    public Task DisposeAsync()
    {
        if (azurite is { HasExited: false })
        {
            azurite.Kill(entireProcessTree: true);
            azurite.WaitForExit(5_000);
        }

        azurite?.Dispose();
        if (location is not null)
        {
            try
            {
                Directory.Delete(location, recursive: true);
            }
            catch (IOException)
            {
                // A temporary folder left behind is harmless.
            }
        }

        return Task.CompletedTask;
    }

    public static string For(int blob, int queue, int table) =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queue}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{table}/devstoreaccount1;";
}
