using System.Globalization;
using System.Text;
using System.Text.Json;

namespace FunctionsSync.Simulator.GraphQl;

/// <summary>
/// The subset of GraphQL the simulated Admin API needs: one operation (<c>query</c>/<c>mutation</c>, named or not, with
/// variable definitions), fields with arguments, nested selections, inline fragments (<c>... on Type</c>), strings
/// (block strings too), numbers, booleans, null, enum names and variables. No fragments by name, no directives.
/// </summary>
public sealed class GqlParser
{
    private readonly string text;
    private readonly IReadOnlyDictionary<string, JsonElement> variables;
    private int at;

    private GqlParser(string text, IReadOnlyDictionary<string, JsonElement> variables)
    {
        this.text = text;
        this.variables = variables;
    }

    public static GqlOperation Parse(string document, IReadOnlyDictionary<string, JsonElement>? variables = null)
    {
        var parser = new GqlParser(document, variables ?? new Dictionary<string, JsonElement>());
        var operation = parser.ParseOperation();
        parser.Skip();
        return parser.at == document.Length ? operation : throw new GqlException($"Unexpected '{document[parser.at]}' after the operation.");
    }

    private GqlOperation ParseOperation()
    {
        Skip();
        var mutation = false;
        if (Peek() != '{')
        {
            var keyword = Name();
            mutation = keyword switch
            {
                "query" => false,
                "mutation" => true,
                _ => throw new GqlException($"Unexpected '{keyword}': an operation starts with query, mutation or '{{'."),
            };
            Skip();
            if (char.IsLetter(Peek()) || Peek() == '_')
            {
                Name();
            }

            Skip();
            if (Peek() == '(')
            {
                SkipVariableDefinitions();
            }
        }

        return new GqlOperation(mutation, SelectionSet());
    }

    private void SkipVariableDefinitions()
    {
        var depth = 0;
        do
        {
            var c = text[at++];
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
        }
        while (depth > 0 && at < text.Length);
    }

    private List<GqlField> SelectionSet()
    {
        Expect('{');
        var fields = new List<GqlField>();
        while (true)
        {
            Skip();
            if (Peek() == '}')
            {
                at++;
                return fields.Count > 0 ? fields : throw new GqlException("A selection set cannot be empty.");
            }

            if (text.AsSpan(at).StartsWith("..."))
            {
                at += 3;
                Skip();
                if (Name() != "on")
                {
                    throw new GqlException("Only inline fragments (... on Type) are supported.");
                }

                Skip();
                var type = Name();
                Skip();
                fields.Add(new GqlField("", new Dictionary<string, object?>(), SelectionSet(), type));
                continue;
            }

            var name = Name();
            Skip();
            if (Peek() == ':')
            {
                // An alias: the simulator answers under the field's own name.
                at++;
                Skip();
                name = Name();
                Skip();
            }

            var arguments = Peek() == '(' ? Arguments() : new Dictionary<string, object?>();
            Skip();
            var selection = Peek() == '{' ? SelectionSet() : [];
            fields.Add(new GqlField(name, arguments, selection));
        }
    }

    private Dictionary<string, object?> Arguments()
    {
        Expect('(');
        var arguments = new Dictionary<string, object?>();
        while (true)
        {
            Skip();
            if (Peek() == ')')
            {
                at++;
                return arguments;
            }

            var name = Name();
            Skip();
            Expect(':');
            Skip();
            arguments[name] = Value();
            Skip();
            if (Peek() == ',')
            {
                at++;
            }
        }
    }

    private object? Value()
    {
        var c = Peek();
        if (c == '$')
        {
            at++;
            var name = Name();
            return variables.TryGetValue(name, out var value) ? FromJson(value) : null;
        }

        if (c == '"')
        {
            return text.AsSpan(at).StartsWith("\"\"\"") ? BlockString() : QuotedString();
        }

        if (c == '-' || char.IsDigit(c))
        {
            var start = at;
            while (at < text.Length && (char.IsDigit(text[at]) || text[at] is '-' or '.' or 'e' or 'E' or '+'))
            {
                at++;
            }

            var number = text[start..at];
            return long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? (object)l : double.Parse(number, CultureInfo.InvariantCulture);
        }

        if (c is '[' or '{')
        {
            throw new GqlException("List and object values are not supported by this simulator.");
        }

        var word = Name();
        return word switch
        {
            "true" => true,
            "false" => false,
            "null" => null,
            _ => word,
        };
    }

    private static object? FromJson(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        // Boxed apart: a conditional of long and double would make every number a double.
        JsonValueKind.Number => value.TryGetInt64(out var l) ? (object)l : value.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private string QuotedString()
    {
        at++;
        var builder = new StringBuilder();
        while (true)
        {
            if (at >= text.Length)
            {
                throw new GqlException("Unterminated string.");
            }

            var c = text[at++];
            if (c == '"')
            {
                return builder.ToString();
            }

            if (c == '\\')
            {
                var escaped = text[at++];
                builder.Append(escaped switch
                {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    'b' => '\b',
                    'f' => '\f',
                    'u' => (char)int.Parse(text.AsSpan(at, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                    _ => escaped,
                });
                if (escaped == 'u')
                {
                    at += 4;
                }

                continue;
            }

            builder.Append(c);
        }
    }

    private string BlockString()
    {
        at += 3;
        var end = text.IndexOf("\"\"\"", at, StringComparison.Ordinal);
        if (end < 0)
        {
            throw new GqlException("Unterminated block string.");
        }

        var value = text[at..end];
        at = end + 3;
        return value.Trim();
    }

    private string Name()
    {
        var start = at;
        while (at < text.Length && (char.IsLetterOrDigit(text[at]) || text[at] == '_'))
        {
            at++;
        }

        return at > start ? text[start..at] : throw new GqlException($"Expected a name at position {start}.");
    }

    private void Expect(char c)
    {
        Skip();
        if (Peek() != c)
        {
            throw new GqlException($"Expected '{c}' at position {at}.");
        }

        at++;
    }

    private char Peek() => at < text.Length ? text[at] : '\0';

    /// <summary>Whitespace, commas and comments separate tokens.</summary>
    private void Skip()
    {
        while (at < text.Length)
        {
            if (char.IsWhiteSpace(text[at]) || text[at] == ',')
            {
                at++;
            }
            else if (text[at] == '#')
            {
                while (at < text.Length && text[at] != '\n')
                {
                    at++;
                }
            }
            else
            {
                return;
            }
        }
    }
}
