using System.Collections.Concurrent;
using System.Text.Json;
using GraphQLParser;
using GraphQLParser.AST;

namespace FunctionsSync.IntegrationTests.Contracts;

/// <summary>
/// Shopify's Admin GraphQL schema of one API version, from Shopify's own introspection file
/// (contracts/shopify/admin_{version}.json.gz), and a check of a document against it: every field exists on its type
/// and is not deprecated, every argument exists with its required ones given, enum literals are the enum's values,
/// variables are declared with types the arguments take, leaves have no selection and objects have one, inline
/// fragments name a possible type.
/// </summary>
public sealed class ShopifySchema
{
    private static readonly ConcurrentDictionary<string, ShopifySchema> Loaded = new();

    private readonly Dictionary<string, JsonElement> types = [];
    private readonly string queryType;
    private readonly string mutationType;

    private ShopifySchema(JsonDocument introspection)
    {
        var schema = introspection.RootElement.GetProperty("data").GetProperty("__schema");
        foreach (var type in schema.GetProperty("types").EnumerateArray())
        {
            types[type.GetProperty("name").GetString()!] = type.Clone();
        }

        queryType = schema.GetProperty("queryType").GetProperty("name").GetString()!;
        mutationType = schema.GetProperty("mutationType").GetProperty("name").GetString()!;
    }

    /// <summary>The schema of <paramref name="version"/>; a version Shopify's files do not hold has none.</summary>
    public static ShopifySchema? For(string version) =>
        File.Exists(ContractFiles.PathOf($"shopify/admin_{version}.json.gz"))
            ? Loaded.GetOrAdd(version, v => { using var json = ContractFiles.Json($"shopify/admin_{v}.json.gz"); return new ShopifySchema(json); })
            : null;

    /// <summary>What is wrong with <paramref name="document"/> against this schema; empty when it validates.</summary>
    public IReadOnlyList<string> Validate(string document)
    {
        var errors = new List<string>();
        GraphQLDocument ast;
        try
        {
            ast = Parser.Parse(document);
        }
        catch (GraphQLParser.Exceptions.GraphQLSyntaxErrorException ex)
        {
            return [$"not GraphQL: {ex.Message}"];
        }

        foreach (var definition in ast.Definitions)
        {
            if (definition is not GraphQLOperationDefinition operation)
            {
                errors.Add($"unsupported definition {definition.Kind}");
                continue;
            }

            var variables = new Dictionary<string, GraphQLType>();
            foreach (var variable in operation.Variables?.Items ?? [])
            {
                var name = variable.Variable.Name.StringValue;
                variables[name] = variable.Type;
                if (!types.TryGetValue(NamedOf(variable.Type), out var type) || type.GetProperty("kind").GetString() is not ("SCALAR" or "ENUM" or "INPUT_OBJECT"))
                {
                    errors.Add($"${name}: {TypeText(variable.Type)} is not an input type of the schema");
                }
            }

            var root = operation.Operation == OperationType.Mutation ? mutationType : queryType;
            Select(operation.SelectionSet, root, root, variables, errors);
        }

        return errors;
    }

    private void Select(GraphQLSelectionSet set, string typeName, string path, Dictionary<string, GraphQLType> variables, List<string> errors)
    {
        foreach (var selection in set.Selections)
        {
            switch (selection)
            {
                case GraphQLField field:
                    Field(field, typeName, path, variables, errors);
                    break;
                case GraphQLInlineFragment fragment:
                    var on = fragment.TypeCondition?.Type.Name.StringValue ?? typeName;
                    if (!types.ContainsKey(on) || !PossibleTypes(typeName).Contains(on))
                    {
                        errors.Add($"{path}: '... on {on}' names no type that {typeName} can be");
                        break;
                    }

                    Select(fragment.SelectionSet, on, $"{path}(on {on})", variables, errors);
                    break;
                default:
                    errors.Add($"{path}: unsupported selection {selection.Kind}");
                    break;
            }
        }
    }

    private void Field(GraphQLField field, string typeName, string path, Dictionary<string, GraphQLType> variables, List<string> errors)
    {
        var name = field.Name.StringValue;
        if (name == "__typename")
        {
            return;
        }

        var at = $"{path}.{name}";
        var definition = Fields(typeName).Cast<JsonElement?>().FirstOrDefault(f => f!.Value.GetProperty("name").GetString() == name);
        if (definition is not { } fieldType)
        {
            errors.Add($"{at}: field '{name}' does not exist on type '{typeName}'");
            return;
        }

        if (fieldType.TryGetProperty("isDeprecated", out var deprecated) && deprecated.GetBoolean())
        {
            errors.Add($"{at}: deprecated ({fieldType.GetProperty("deprecationReason").GetString()})");
        }

        var declared = fieldType.GetProperty("args").EnumerateArray().ToDictionary(a => a.GetProperty("name").GetString()!);
        var given = field.Arguments?.Items ?? [];
        foreach (var argument in given)
        {
            var argName = argument.Name.StringValue;
            if (!declared.TryGetValue(argName, out var arg))
            {
                errors.Add($"{at}: argument '{argName}' does not exist on field '{typeName}.{name}'");
                continue;
            }

            Value(argument.Value, arg.GetProperty("type"), $"{at}({argName}:)", variables, errors);
        }

        foreach (var (argName, arg) in declared)
        {
            if (arg.GetProperty("type").GetProperty("kind").GetString() == "NON_NULL" && arg.GetProperty("defaultValue").ValueKind == JsonValueKind.Null
                && given.All(g => g.Name.StringValue != argName))
            {
                errors.Add($"{at}: required argument '{argName}' is missing");
            }
        }

        var result = Named(fieldType.GetProperty("type"));
        var kind = types[result].GetProperty("kind").GetString();
        var composite = kind is "OBJECT" or "INTERFACE" or "UNION";
        if (composite && field.SelectionSet is null)
        {
            errors.Add($"{at}: a {result} needs a selection");
        }
        else if (!composite && field.SelectionSet is not null)
        {
            errors.Add($"{at}: {result} is a {kind} and takes no selection");
        }
        else if (field.SelectionSet is { } set)
        {
            Select(set, result, at, variables, errors);
        }
    }

    /// <summary>An argument's value: a variable of a compatible declared type, or a literal (enum values checked).</summary>
    private void Value(GraphQLValue value, JsonElement type, string at, Dictionary<string, GraphQLType> variables, List<string> errors)
    {
        var named = Named(type);
        switch (value)
        {
            case GraphQLVariable variable:
                var name = variable.Name.StringValue;
                if (!variables.TryGetValue(name, out var declared))
                {
                    errors.Add($"{at}: ${name} is not declared");
                }
                else if (NamedOf(declared) != named || (type.GetProperty("kind").GetString() == "NON_NULL" && declared is not GraphQLNonNullType))
                {
                    errors.Add($"{at}: ${name} is {TypeText(declared)}, the argument takes {TypeText(type)}");
                }

                break;
            case GraphQLEnumValue literal:
                var values = types[named].TryGetProperty("enumValues", out var e) && e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().Select(v => v.GetProperty("name").GetString()).ToHashSet() : [];
                if (!values.Contains(literal.Name.StringValue))
                {
                    errors.Add($"{at}: '{literal.Name.StringValue}' is not a value of {named}");
                }

                break;
            case GraphQLBooleanValue when named != "Boolean":
            case GraphQLIntValue when named is not ("Int" or "Float" or "UnsignedInt64"):
                errors.Add($"{at}: a {value.Kind} literal where {named} is expected");
                break;
        }
    }

    private IEnumerable<JsonElement> Fields(string typeName) =>
        types.TryGetValue(typeName, out var type) && type.TryGetProperty("fields", out var fields) && fields.ValueKind == JsonValueKind.Array ? fields.EnumerateArray() : [];

    private HashSet<string> PossibleTypes(string typeName)
    {
        var possible = new HashSet<string> { typeName };
        if (types[typeName].TryGetProperty("possibleTypes", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            possible.UnionWith(list.EnumerateArray().Select(t => t.GetProperty("name").GetString()!));
        }

        // An object type may be selected from any interface it implements (node(id:) answers a Node).
        foreach (var (name, type) in types)
        {
            if (type.TryGetProperty("interfaces", out var interfaces) && interfaces.ValueKind == JsonValueKind.Array
                && interfaces.EnumerateArray().Any(i => i.GetProperty("name").GetString() == typeName))
            {
                possible.Add(name);
            }
        }

        return possible;
    }

    private static string Named(JsonElement type) =>
        type.GetProperty("name").GetString() ?? Named(type.GetProperty("ofType"));

    private static string NamedOf(GraphQLType type) => type switch
    {
        GraphQLNonNullType n => NamedOf(n.Type),
        GraphQLListType l => NamedOf(l.Type),
        GraphQLNamedType t => t.Name.StringValue,
        _ => "",
    };

    private static string TypeText(GraphQLType type) => type switch
    {
        GraphQLNonNullType n => TypeText(n.Type) + "!",
        GraphQLListType l => $"[{TypeText(l.Type)}]",
        GraphQLNamedType t => t.Name.StringValue,
        _ => "?",
    };

    private static string TypeText(JsonElement type) => type.GetProperty("kind").GetString() switch
    {
        "NON_NULL" => TypeText(type.GetProperty("ofType")) + "!",
        "LIST" => $"[{TypeText(type.GetProperty("ofType"))}]",
        _ => type.GetProperty("name").GetString()!,
    };
}
