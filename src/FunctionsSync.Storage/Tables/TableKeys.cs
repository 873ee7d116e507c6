using System.Text;

namespace FunctionsSync.Storage.Tables;

/// <summary>
/// Table keys may not contain '/', '\', '#', '?' or control characters; marketplace ids are escaped
/// reversibly with '%' so any id is storable.
/// </summary>
public static class TableKeys
{
    public static string Encode(string value)
    {
        if (!value.Any(NeedsEscape))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (NeedsEscape(c))
            {
                builder.Append('%').Append(((int)c).ToString("X4"));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    public static string Decode(string key)
    {
        if (!key.Contains('%'))
        {
            return key;
        }

        var builder = new StringBuilder(key.Length);
        for (var i = 0; i < key.Length; i++)
        {
            if (key[i] == '%' && i + 4 < key.Length)
            {
                builder.Append((char)Convert.ToInt32(key.Substring(i + 1, 4), 16));
                i += 4;
            }
            else
            {
                builder.Append(key[i]);
            }
        }

        return builder.ToString();
    }

    /// <summary>FNV-1a over the UTF-16 code units: the same in every process and release (unlike <see cref="string.GetHashCode()"/>).</summary>
    public static uint StableHash(string value)
    {
        var hash = 2166136261u;
        foreach (var c in value)
        {
            hash = (hash ^ (uint)(c & 0xFF)) * 16777619u;
            hash = (hash ^ (uint)(c >> 8)) * 16777619u;
        }

        return hash;
    }

    private static bool NeedsEscape(char c) => c is '/' or '\\' or '#' or '?' or '%' || char.IsControl(c);
}
