using System.Text;
using Microsoft.WindowsAzure.Storage.Table;

namespace FunctionsSync.Storage.Tables;

/// <summary>Table continuation tokens as opaque URL-safe strings for API paging.</summary>
internal static class Continuation
{
    public static string? Encode(TableContinuationToken? token) =>
        token is null ? null : Convert.ToBase64String(Encoding.UTF8.GetBytes($"{token.NextPartitionKey}\n{token.NextRowKey}")).Replace('+', '-').Replace('/', '_');

    /// <exception cref="FormatException">Not a token this service handed out.</exception>
    public static TableContinuationToken? Decode(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        var parts = Encoding.UTF8.GetString(Convert.FromBase64String(value.Replace('-', '+').Replace('_', '/'))).Split('\n');
        return parts.Length == 2 ? new TableContinuationToken { NextPartitionKey = parts[0], NextRowKey = parts[1] } : throw new FormatException("Not a continuation token.");
    }
}
