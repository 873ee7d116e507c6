namespace FunctionsSync.Core.Webhooks;

public enum DeliveryStatus
{
    /// <summary>Waiting for its next attempt.</summary>
    Pending,
    Delivered,

    /// <summary>Every attempt failed; <see cref="WebhookDelivery.LastError"/> says why. A replay sends it again.</summary>
    Failed,
}
