namespace FunctionsSync.Core.Api;

/// <summary>
/// One route of the HTTP API, everything both hosts and the OpenAPI document need of it: where it is, whether it needs
/// an API key, what it takes (body type, query parameters) and answers (success status and body type), and its handler.
/// </summary>
/// <param name="Name">The operation id (and, in the Functions app's logs, the route's name).</param>
/// <param name="Verb">The HTTP method, upper case.</param>
/// <param name="Template">The route template below <c>/api</c>.</param>
public sealed record ApiRoute(string Name, string Verb, string Template)
{
    /// <summary>False for the routes without an API key (health, and the push path whose body carries a sync token).</summary>
    public bool RequiresKey { get; init; } = true;

    /// <summary>The JSON body's type, for the document; null when the route takes none. Handlers read the raw body.</summary>
    public Type? Request { get; init; }

    /// <summary>The body's media type, for the document (any JSON type is read): a merge patch's is <c>application/merge-patch+json</c>.</summary>
    public string RequestContentType { get; init; } = "application/json";

    public int Success { get; init; } = 200;

    /// <summary>The success body's type (from the handler's <see cref="ApiResult{T}"/>); null for none (204).</summary>
    public Type? Response { get; init; }

    public string ResponseContentType { get; init; } = "application/json";

    /// <summary>Other statuses answered with the success body rather than a problem (health: 503 with its view).</summary>
    public IReadOnlyList<int> AlsoAnswers { get; init; } = [];

    public IReadOnlyList<ApiQueryParameter> Query { get; init; } = [];

    public required Func<ApiCall, Task<ApiResult>> Handler { get; init; }

    /// <summary>What the route does, in a line: the operation's summary in the document.</summary>
    public required string Summary { get; init; }

    /// <summary>Its group in the document: the route's first segment unless set.</summary>
    public string Tag { get => tag ?? Template.Split('/')[0]; init => tag = value; }

    private readonly string? tag;
}

/// <summary>A query parameter a route reads; whole numbers are checked before the handler runs (400 problem).</summary>
/// <param name="Values">The values a filter takes (its handler refuses others), for the document; empty for free text.</param>
public sealed record ApiQueryParameter(string Name, bool WholeNumber = false, IReadOnlyList<string>? Values = null)
{
    public static ApiQueryParameter Text(string name) => new(name, false);

    public static ApiQueryParameter Int(string name) => new(name, true);

    public static ApiQueryParameter Choice(string name, IEnumerable<string> values) => new(name, false, [.. values]);
}
