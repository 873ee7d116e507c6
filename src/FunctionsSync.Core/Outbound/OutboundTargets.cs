namespace FunctionsSync.Core.Outbound;

/// <summary>The policy for webhook targets (allow-list <c>Webhooks:AllowedHosts</c>).</summary>
public sealed record WebhookTargets(OutboundUrlPolicy Policy);

/// <summary>The policy for connections' marketplace addresses (allow-list <c>Marketplaces:AllowedHosts</c>).</summary>
public sealed record MarketplaceTargets(OutboundUrlPolicy Policy);
