using FunctionsSync.Core;
using FunctionsSync.Core.Runs;
using FunctionsSync.Core.Sync;
using FunctionsSync.Marketplaces;
using FunctionsSync.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Runs one sync in its own process so tests can kill it mid-run:
//   FunctionsSync.TestRunner --connection <id> [--mode full|incremental]
// with Storage__ConnectionString, Storage__TablePrefix, Sync__* in the environment.
var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
await using var services = new ServiceCollection()
    .AddSingleton<IConfiguration>(configuration)
    .AddLogging(b => b.AddConsole().SetMinimumLevel(LogLevel.Information))
    .AddFunctionsSyncCore()
    .AddFunctionsSyncStorage()
    .AddFunctionsSyncMarketplaces()
    .BuildServiceProvider();

var connectionId = configuration["connection"] ?? throw new ArgumentException("--connection is required");
var mode = string.Equals(configuration["mode"], "full", StringComparison.OrdinalIgnoreCase) ? SyncMode.Full : SyncMode.Incremental;
var outcome = await services.GetRequiredService<ConnectionSyncer>().RunAsync(new SyncRequest(connectionId, mode, Owner: "test-runner"), CancellationToken.None);
Console.WriteLine($"outcome {outcome.Kind} {outcome.Run?.Status}");
return outcome.Kind == SyncOutcomeKind.Finished ? 0 : 1;
