using FunctionsSync.Core.Access;
using Microsoft.AspNetCore.Http;

namespace FunctionsSync.Core.Api;

/// <summary>
/// What every request body must be, on both hosts, checked before a handler reads it: JSON (<c>application/json</c> or
/// a <c>+json</c> type; 415 otherwise) and at most <see cref="ApiOptions.MaxBodyBytes"/> bytes (413; the hosts also
/// stop reading there, for bodies sent without a length).
/// </summary>
public static class ApiBodies
{
    /// <returns>The problem to answer, or null when the body may be read.</returns>
    public static ApiResult? Check(string method, string? contentType, long? contentLength, bool chunked, long maxBytes)
    {
        var hasBody = contentLength > 0 || (contentLength is null && chunked);
        if (!hasBody || !(HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method)))
        {
            return null;
        }

        if (!IsJson(contentType))
        {
            return Problems.UnsupportedMediaType(contentType);
        }

        return contentLength > maxBytes ? Problems.TooLarge(maxBytes) : null;
    }

    /// <summary>
    /// <see cref="Check"/>, then, for a method that carries a body, <see cref="ReadAsync"/>: the body (null when empty)
    /// or the problem to answer instead. The one entry point both hosts call.
    /// </summary>
    public static async Task<(string? Body, ApiResult? Problem)> ReadRequestAsync(
        string method, string? contentType, long? contentLength, bool chunked, Stream body, long maxBytes, CancellationToken cancellationToken)
    {
        if (Check(method, contentType, contentLength, chunked, maxBytes) is { } refused)
        {
            return (null, refused);
        }

        return HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method)
            ? await ReadAsync(body, maxBytes, cancellationToken)
            : (null, null);
    }

    /// <summary><c>application/json</c> or <c>application/*+json</c>, parameters (charset) allowed.</summary>
    public static bool IsJson(string? contentType)
    {
        var mediaType = contentType?.Split(';')[0].Trim() ?? "";
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Reads a body of at most <paramref name="maxBytes"/> bytes as UTF-8; null when empty. A longer body stops the read
    /// and answers 413 instead.
    /// </summary>
    public static async Task<(string? Body, ApiResult? Problem)> ReadAsync(Stream body, long maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return (null, Problems.TooLarge(maxBytes));
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.Length == 0 ? (null, null) : (System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), null);
    }
}
