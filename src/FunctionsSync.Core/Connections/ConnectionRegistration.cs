namespace FunctionsSync.Core.Connections;

public sealed record ConnectionRegistration(
    string OrganizationId,
    string Marketplace,
    string ExternalStoreId,
    string Name,
    IReadOnlyDictionary<string, string> Credentials,
    IReadOnlyDictionary<string, string>? Settings = null);
