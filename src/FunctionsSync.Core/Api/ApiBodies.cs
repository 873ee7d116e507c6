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
    /// <summary>
    /// The body of a POST, PUT or PATCH (null when empty, or for other methods), or the problem to answer instead: 415
    /// when a body is sent as anything but JSON, 413 when its length, or what is read of a body sent without one,
    /// exceeds <paramref name="maxBytes"/>. The one entry point both hosts call.
    /// </summary>
    public static async Task<(string? Body, ApiResult? Problem)> ReadRequestAsync(
        string method, string? contentType, long? contentLength, bool chunked, Stream body, long maxBytes, CancellationToken cancellationToken)
    {
        if (!(HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method)) || contentLength == 0)
        {
            return (null, null);
        }

        if ((contentLength > 0 || chunked) && !IsJson(contentType))
        {
            return (null, Problems.UnsupportedMediaType(contentType));
        }

        return contentLength > maxBytes ? (null, Problems.TooLarge(maxBytes)) : await ReadAsync(body, maxBytes, cancellationToken);
    }

    /// <summary><c>application/json</c> or <c>application/*+json</c>, parameters (charset) allowed.</summary>
    private static bool IsJson(string? contentType)
    {
        var mediaType = contentType?.Split(';')[0].Trim() ?? "";
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Reads at most <paramref name="maxBytes"/> bytes as UTF-8; null when empty; 413 as soon as there are more.</summary>
    private static async Task<(string? Body, ApiResult? Problem)> ReadAsync(Stream body, long maxBytes, CancellationToken cancellationToken)
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
