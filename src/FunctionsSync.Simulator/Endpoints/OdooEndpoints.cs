using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsSync.Simulator.Data;

namespace FunctionsSync.Simulator.Endpoints;

/// <summary>
/// An Odoo server with one database (named as the store) over both external APIs (contracts/odoo):
/// <list type="bullet">
/// <item>JSON-2: <c>POST /json/2/&lt;model&gt;/&lt;method&gt;</c> with <c>Authorization: bearer &lt;key&gt;</c> and an optional
/// <c>X-Odoo-Database</c>; <c>search_read</c> (<c>domain</c>, <c>fields</c>, <c>offset</c>, <c>limit</c>, <c>order</c>,
/// <c>context</c>) and <c>search_count</c>; errors as <c>{name, message, arguments, context, debug}</c>, 401
/// <c>Invalid apikey</c> for a wrong or expired key (<see cref="SimStore.ApiKeyExpiresAt"/>);</item>
/// <item>JSON-RPC: <c>POST /jsonrpc</c>, <c>common.authenticate(db, login, key, {})</c> → the user id or <c>false</c>,
/// <c>object.execute_kw(db, uid, key, model, method, args, kwargs)</c>; errors in the answer's <c>error</c>.</item>
/// </list>
/// </summary>
internal static class OdooEndpoints
{
    private const long UserId = 2;

    private static readonly Dialect Json2 = new(
        "odoo",
        (store, request) => request.Headers.Authorization.ToString() is var header
            && header.StartsWith("bearer ", StringComparison.OrdinalIgnoreCase) && KeyValid(store, header[7..].Trim()),
        () => Results.Json(Error("werkzeug.exceptions.Unauthorized", "Invalid apikey", 401), statusCode: StatusCodes.Status401Unauthorized),
        (_, _, _) => { },
        () => Error("werkzeug.exceptions.TooManyRequests", "Too many requests", 429));

    /// <summary>JSON-RPC carries its credentials in the body: every request reaches the method, which checks them.</summary>
    private static readonly Dialect JsonRpc = Json2 with { Authorize = (_, _) => true };

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/odoo/{storeId}/json/2/{model}/{method}", async (HttpContext http, SimulatorState state, string storeId, string model, string method) =>
        {
            var body = await ReadAsync(http);
            return await SimResponder.ServeAsync(http, state, Json2, storeId, store =>
            {
                if (http.Request.Headers["X-Odoo-Database"].ToString() is { Length: > 0 } database && database != store.StoreId)
                {
                    return SimResult.Fail(Results.Json(Error("werkzeug.exceptions.NotFound", $"Database {database} not found", 404), statusCode: 404));
                }

                if (body is not JsonObject parameters)
                {
                    return SimResult.Fail(Results.Json(Error("werkzeug.exceptions.BadRequest", "The body must be a JSON object", 400), statusCode: 400));
                }

                var (result, error) = Execute(store, model, method, parameters);
                return error is null ? SimResult.Ok(result!) : SimResult.Fail(Results.Json(Error(error.Value.Name, error.Value.Message, 422), statusCode: 422));
            });
        });
        app.MapPost("/odoo/{storeId}/jsonrpc", async (HttpContext http, SimulatorState state, string storeId) =>
        {
            var body = await ReadAsync(http);
            return await SimResponder.ServeAsync(http, state, JsonRpc, storeId, store => SimResult.Ok(Rpc(store, body)));
        });
    }

    private static JsonObject Rpc(SimStore store, JsonNode? body)
    {
        var id = body?["id"]?.DeepClone();
        JsonObject Answer(JsonNode? result) => new() { ["jsonrpc"] = "2.0", ["id"] = id, ["result"] = result };
        JsonObject Fail(string name, string message) => new()
        {
            ["jsonrpc"] = "2.0",
            ["id"] = id,
            ["error"] = new JsonObject { ["code"] = 200, ["message"] = "Odoo Server Error", ["data"] = new JsonObject { ["name"] = name, ["message"] = message, ["arguments"] = new JsonArray(message) } },
        };

        if (body?["params"] is not JsonObject parameters || parameters["args"] is not JsonArray args)
        {
            return Fail("werkzeug.exceptions.BadRequest", "params with service, method and args are required");
        }

        var service = parameters["service"]?.GetValue<string>();
        var method = parameters["method"]?.GetValue<string>();
        var database = args.Count > 0 ? args[0]?.GetValue<string>() : null;
        if (database != store.StoreId)
        {
            return Fail("psycopg2.OperationalError", $"database \"{database}\" does not exist");
        }

        switch (service, method)
        {
            case ("common", "authenticate") when args.Count == 4:
                var login = args[1]?.GetValue<string>();
                var key = args[2]?.GetValue<string>();
                // A wrong login or key (an expired key too) authenticates nobody.
                return Answer(login == store.Config.Credentials.GetValueOrDefault("login", "admin") && KeyValid(store, key) ? UserId : false);
            case ("object", "execute_kw") when args.Count is 6 or 7:
                if (args[1]?.GetValueKind() != JsonValueKind.Number || args[1]!.GetValue<long>() != UserId || !KeyValid(store, args[2]?.GetValue<string>()))
                {
                    return Fail("odoo.exceptions.AccessDenied", "Access Denied");
                }

                var named = (args.Count == 7 ? args[6] as JsonObject : null)?.DeepClone().AsObject() ?? [];
                if (args[5] is JsonArray positional && positional.Count > 0)
                {
                    named["domain"] = positional[0]?.DeepClone();
                }

                var (result, error) = Execute(store, args[3]!.GetValue<string>(), args[4]!.GetValue<string>(), named);
                return error is null ? Answer(result) : Fail(error.Value.Name, error.Value.Message);
            default:
                return Fail("werkzeug.exceptions.NotFound", $"{service}.{method} is not served here");
        }
    }

    /// <summary>An ORM method: <c>search_read</c> or <c>search_count</c> on a model of the database.</summary>
    private static (JsonNode? Result, (string Name, string Message)? Error) Execute(SimStore store, string model, string method, JsonObject parameters)
    {
        if (!SimOdoo.Models.Contains(model))
        {
            return (null, ("builtins.KeyError", $"Object {model} doesn't exist"));
        }

        OdooDomain domain;
        try
        {
            using var raw = JsonDocument.Parse(parameters["domain"]?.ToJsonString() ?? "[]");
            domain = OdooDomain.Parse(raw.RootElement);
        }
        catch (FormatException ex)
        {
            return (null, ("ValueError", $"Invalid domain: {ex.Message}"));
        }

        var matching = SimOdoo.Records(store, model).Where(domain.Matches);
        switch (method)
        {
            case "search_count":
                return (matching.Count(), null);
            case "search_read":
                IEnumerable<JsonObject> sorted;
                try
                {
                    sorted = OdooDomain.Sort(matching, parameters["order"]?.GetValue<string>()).ToList();
                }
                catch (FormatException ex)
                {
                    return (null, ("ValueError", ex.Message));
                }

                var offset = parameters["offset"]?.GetValue<int>() ?? 0;
                var limit = parameters["limit"] is JsonValue l && l.GetValueKind() == JsonValueKind.Number ? l.GetValue<int>() : int.MaxValue;
                var fields = (parameters["fields"] as JsonArray)?.Select(f => f!.GetValue<string>()).ToList();
                var page = new JsonArray();
                foreach (var record in sorted.Skip(offset).Take(limit))
                {
                    var read = new JsonObject { ["id"] = record["id"]!.DeepClone() };
                    foreach (var (name, value) in record.Where(f => fields is null || fields.Contains(f.Key)))
                    {
                        read[name] = value?.DeepClone();
                    }

                    page.Add(read);
                }

                return (page, null);
            default:
                return (null, ("AttributeError", $"The method '{method}' does not exist on the model '{model}'"));
        }
    }

    /// <summary>The store's API key, until it expires (Odoo's keys last three months at most).</summary>
    private static bool KeyValid(SimStore store, string? key) =>
        key is not null && key == store.Config.Credentials.GetValueOrDefault("apiKey") && (store.ApiKeyExpiresAt is not { } expires || store.Clock.GetUtcNow() < expires);

    private static object Error(string name, string message, int status) => new { name, message, arguments = new object[] { message, status }, context = new { }, debug = $"Traceback (most recent call last):\n{name}: {message}\n" };

    private static async Task<JsonNode?> ReadAsync(HttpContext http)
    {
        try
        {
            return await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
