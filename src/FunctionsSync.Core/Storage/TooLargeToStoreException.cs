namespace FunctionsSync.Core.Storage;

/// <summary>
/// A value that does not fit in storage as it would be written (measured after JSON escaping and encryption, not as
/// received): the API answers 400 naming <see cref="Field"/>, nothing having been written.
/// </summary>
public sealed class TooLargeToStoreException(string field, long size, long limit)
    : Exception($"{field} takes {size:N0} characters as stored; at most {limit:N0} fit.")
{
    /// <summary>The request's field (or the record) that does not fit.</summary>
    public string Field { get; } = field;

    public long Size { get; } = size;

    public long Limit { get; } = limit;
}
