namespace FunctionsSync.Simulator.Data;

/// <summary>
/// A GraphQL document a client sent a store: the Admin API version it named, whether it is a bulk query (the
/// <c>query</c> argument of <c>bulkOperationRunQuery</c>, run against QueryRoot) and its text. Kept so contract tests
/// can check every document an adapter sent against Shopify's schema of that version.
/// </summary>
public sealed record SimGraphQlDocument(string Version, bool Bulk, string Text);
