namespace FunctionsSync.Core.Outbound;

/// <summary>Bound from configuration section <c>Marketplaces</c> (which the adapters' options share).</summary>
public sealed class MarketplaceTargetOptions
{
    public const string SectionName = "Marketplaces";

    /// <summary>
    /// Hosts (name or address, optionally <c>:port</c>) a connection's <c>settings.baseUrl</c> may name although they
    /// are loopback or private. Empty in production; the local demo and the tests name the simulator.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];
}
