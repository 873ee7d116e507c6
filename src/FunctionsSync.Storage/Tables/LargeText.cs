using System.Text;
using Azure.Data.Tables;
using FunctionsSync.Core.Storage;

namespace FunctionsSync.Storage.Tables;

/// <summary>
/// A text longer than one table property holds (64 KiB: 32,000 UTF-16 characters here) kept in several: <c>{name}</c>,
/// then <c>{name}_1</c>, <c>{name}_2</c>… up to a budget per column that keeps the row under the entity's 1 MiB. Never
/// cut inside a surrogate pair (a lone surrogate does not survive the wire).
/// </summary>
internal static class LargeText
{
    public const int PartChars = 32_000;

    /// <summary>Sets <paramref name="text"/> on the entity (removing parts a longer earlier value left).</summary>
    /// <exception cref="TooLargeToStoreException">It needs more than <paramref name="maxParts"/> properties; named <paramref name="field"/>.</exception>
    public static void Write(TableEntity entity, string name, string text, int maxParts, string field)
    {
        var parts = new List<string>();
        for (var at = 0; at < text.Length;)
        {
            var length = Math.Min(PartChars, text.Length - at);
            if (at + length < text.Length && char.IsHighSurrogate(text[at + length - 1]))
            {
                length--;
            }

            parts.Add(text.Substring(at, length));
            at += length;
        }

        if (parts.Count > maxParts)
        {
            throw new TooLargeToStoreException(field, text.Length, (long)maxParts * PartChars);
        }

        entity[name] = parts.Count == 0 ? "" : parts[0];
        for (var i = 1; i < parts.Count; i++)
        {
            entity[Part(name, i)] = parts[i];
        }

        for (var i = Math.Max(parts.Count, 1); entity.ContainsKey(Part(name, i)); i++)
        {
            entity.Remove(Part(name, i));
        }
    }

    /// <summary>The text as written (null when the column is absent).</summary>
    public static string? Read(TableEntity entity, string name)
    {
        if (entity.GetString(name) is not { } first)
        {
            return null;
        }

        if (entity.GetString(Part(name, 1)) is null)
        {
            return first;
        }

        var text = new StringBuilder(first);
        for (var i = 1; entity.GetString(Part(name, i)) is { } part; i++)
        {
            text.Append(part);
        }

        return text.ToString();
    }

    private static string Part(string name, int index) => $"{name}_{index}";
}
