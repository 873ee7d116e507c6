namespace FunctionsSync.Simulator.Data;

/// <summary>A store's notification subscription: where to send, and the secret the marketplace signs with.</summary>
/// <param name="QueueConnectionString">Amazon: the storage account of the queue its notifications go to (SP-API's
/// destination is an SQS queue; here an Azure Storage queue, as a forwarder would fill it), with <paramref name="QueueName"/>.</param>
public sealed record SimSubscription(string Url, string Secret, string? QueueConnectionString = null, string? QueueName = null);
