namespace FunctionsSync.Core.Api;

/// <param name="Name">The Functions app's function name.</param>
/// <param name="Verb">The HTTP method, upper case.</param>
/// <param name="Template">The route template below <c>/api</c>.</param>
public sealed record ApiRoute(string Name, string Verb, string Template);
