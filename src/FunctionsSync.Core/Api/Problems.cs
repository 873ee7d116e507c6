namespace FunctionsSync.Core.Api;

public static class Problems
{
    private const string TypeBase = "https://functionssync.dev/problems/";

    public static ApiResult BadRequest(string detail, IReadOnlyDictionary<string, string[]>? errors = null) =>
        Make(400, "validation", "The request is not valid.", detail, errors);

    /// <summary>A continuation token this service did not issue (or that no longer decodes).</summary>
    public static ApiResult BadContinuation() =>
        BadRequest("The continuation token is not valid.", new Dictionary<string, string[]> { ["continuationToken"] = ["Pass the token a previous page returned."] });

    /// <summary>A numeric query parameter outside its range.</summary>
    public static ApiResult OutOfRange(string parameter, int min, int max) =>
        BadRequest("The query is not valid.", new Dictionary<string, string[]> { [parameter] = [$"Must be between {min} and {max}."] });

    public static ApiResult Unauthorized() => Make(401, "unauthorized", "An API key is required.", "Send a valid key in the X-Api-Key header.");

    /// <summary>A change notification whose sender could not be verified (the same answer whatever was wrong).</summary>
    public static ApiResult NotVerified() => Make(401, "not-verified", "The notification is not verified.", "Its signature is missing or does not match the connection's webhook secret.");

    public static ApiResult NotImplemented(string detail) => Make(501, "not-implemented", "Not implemented.", detail);

    public static ApiResult Forbidden(string detail) => Make(403, "forbidden", "Not allowed with this key.", detail);

    public static ApiResult NotFound(string detail) => Make(404, "not-found", "Not found.", detail);

    public static ApiResult MethodNotAllowed(string detail) => Make(405, "method-not-allowed", "Method not allowed.", detail);

    public static ApiResult Conflict(string detail) => Make(409, "conflict", "Conflict.", detail);

    public static ApiResult TooLarge(long limit) =>
        Make(413, "too-large", "The request body is too large.", $"A request body may have at most {limit} bytes.");

    /// <summary>The 414 for a URL (escaped path and query, as received) longer than <paramref name="limit"/>, else null.</summary>
    public static ApiResult? UrlTooLong(string path, string? query, int limit) =>
        path.Length + (query?.Length ?? 0) > limit
            ? Make(414, "uri-too-long", "The URL is too long.", $"A request's path and query may have at most {limit} characters.")
            : null;

    public static ApiResult UnsupportedMediaType(string? contentType) =>
        Make(415, "unsupported-media-type", "The request body must be JSON.", $"Send the body as application/json{(string.IsNullOrEmpty(contentType) ? "" : $", not {Printable(contentType)}")}.");

    public static ApiResult Unprocessable(string detail) => Make(422, "unprocessable", "The request cannot be applied.", detail);

    /// <summary>The problem a failure that is not a bug answers on both hosts (a storage outage, a value too large to store); null for any other.</summary>
    public static ApiResult? ForException(Exception exception) => exception switch
    {
        Sync.StorageUnavailableException => StorageUnavailable(),
        Storage.TooLargeToStoreException tooLarge => TooLargeToStore(tooLarge),
        _ => null,
    };

    /// <summary>A value that fits the request's limits but not storage as it would be written.</summary>
    public static ApiResult TooLargeToStore(Storage.TooLargeToStoreException tooLarge) =>
        BadRequest("The request is too large to store.", new Dictionary<string, string[]> { [tooLarge.Field] = [tooLarge.Message] });

    /// <summary>The client sent its request too slowly (headers or body under the configured rate) or broke it off.</summary>
    public static ApiResult BadTransfer(int status) => status == 408
        ? Make(408, "request-timeout", "The request arrived too slowly.", "Send the request's headers and body at a reasonable rate.")
        : Make(status, "bad-request", "The request could not be read.", "The request was cut off or malformed on the wire.");

    public static ApiResult TooManyRequests(string detail) => Make(429, "too-many-requests", "Too many requests.", detail);

    public static ApiResult Unavailable(string detail) => Make(503, "unavailable", "Service unavailable.", detail);

    /// <summary>How long a client is told to wait (<c>Retry-After</c>) when storage cannot be reached.</summary>
    private const int StorageRetryAfterSeconds = 5;

    /// <summary>Storage could not be reached (after the storage client's retries): the client may try again shortly.</summary>
    public static ApiResult StorageUnavailable() =>
        Make(503, "storage-unavailable", "Storage is unreachable.", $"The service cannot reach its storage right now; try again in {StorageRetryAfterSeconds} seconds. GET /api/health names the dependency that is down.")
        with { RetryAfterSeconds = StorageRetryAfterSeconds };

    /// <summary>An unexpected failure: says nothing of its cause (logged with the trace id instead).</summary>
    public static ApiResult Internal(string traceId) =>
        Make(500, "internal", "An unexpected error occurred.", $"The request failed on the server; its trace id is {traceId}.");

    /// <summary>Client text echoed in a problem: control characters replaced, at most 100 characters.</summary>
    public static string Printable(string text)
    {
        var clean = new string([.. text.Take(100).Select(c => char.IsControl(c) ? '?' : c)]);
        return text.Length > 100 ? clean + "…" : clean;
    }

    private static ApiResult Make(int status, string type, string title, string detail, IReadOnlyDictionary<string, string[]>? errors = null) =>
        new(status, new ProblemBody(TypeBase + type, title, status, detail, errors));
}
