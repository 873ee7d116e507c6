using System.Collections.Concurrent;

namespace FunctionsSync.Simulator.Webhooks;

/// <summary>Receivers by name (<c>/mock/webhooks/{name}</c>), created on first use.</summary>
public sealed class WebhookReceivers
{
    private readonly ConcurrentDictionary<string, WebhookReceiver> receivers = new(StringComparer.Ordinal);

    public WebhookReceiver Get(string name) => receivers.GetOrAdd(name, _ => new WebhookReceiver());
}
