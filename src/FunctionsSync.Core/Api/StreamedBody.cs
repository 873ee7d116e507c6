using Microsoft.AspNetCore.Http;

namespace FunctionsSync.Core.Api;

/// <summary>A body that is not JSON (an event stream): the writer sets its content type, then lets it write itself.</summary>
public sealed record StreamedBody(string ContentType, Func<HttpContext, Task> WriteAsync);
