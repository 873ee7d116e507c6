using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Webhooks;
using FunctionsSync.Storage.Connections;
using FunctionsSync.Storage.Webhooks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FunctionsSync.Storage.Secrets;

/// <summary>
/// After a key rotation (a new key listed last in <c>Secrets:Keys</c>), rewrites the secrets still under an older key,
/// or in plain text from before encryption, with the current one; once it has, the old key can leave the list. Runs
/// once as each host starts. Resumable by construction: it rewrites only what is not yet under the current key, one
/// conditional write per row, so a host stopped half-way, or several hosts at once, leave nothing half-done. The same
/// pass moves connection rows still under the row key earlier releases shared (<see cref="ConnectionRows"/>).
/// </summary>
public sealed partial class SecretRewrap : BackgroundService
{
    private readonly TableConnectionStore? connections;
    private readonly TableWebhookStore? webhooks;
    private readonly ILogger<SecretRewrap> logger;

    public SecretRewrap(IConnectionStore connections, IWebhookStore webhooks, ILogger<SecretRewrap> logger)
    {
        // The table stores hold the rows; a host that replaced them (a test double) has nothing here to rewrite.
        this.connections = connections as TableConnectionStore;
        this.webhooks = webhooks as TableWebhookStore;
        this.logger = logger;
    }

    /// <summary>Rows rewritten: connections and webhook endpoints.</summary>
    public async Task<(int Connections, int Endpoints)> RunAsync(CancellationToken cancellationToken)
    {
        var result = (connections is null ? 0 : await connections.RewrapAsync(cancellationToken), webhooks is null ? 0 : await webhooks.RewrapAsync(cancellationToken));
        if (result != (0, 0))
        {
            LogRewrapped(result.Item1, result.Item2);
        }

        return result;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // Storage may be down at start: the next start tries again, and old keys keep reading meanwhile.
            LogFailed(ex);
        }
    }

    [LoggerMessage(5301, LogLevel.Information, "Rows rewritten with their secrets under the current key (and connections under their own row key): {Connections} connections, {Endpoints} webhook endpoints")]
    private partial void LogRewrapped(int connections, int endpoints);

    [LoggerMessage(5302, LogLevel.Warning, "Re-wrapping secrets under the current key stopped; the next start goes on")]
    private partial void LogFailed(Exception exception);
}
