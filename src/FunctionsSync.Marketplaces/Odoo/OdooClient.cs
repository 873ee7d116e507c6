using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Connections;
using FunctionsSync.Marketplaces.Http;

namespace FunctionsSync.Marketplaces.Odoo;

/// <summary>
/// Calls an ORM method of an Odoo model with named parameters, over the API the connection speaks:
/// <list type="bullet">
/// <item>JSON-2 (19.0+): <c>POST /json/2/&lt;model&gt;/&lt;method&gt;</c>, <c>Authorization: bearer &lt;API key&gt;</c>,
/// <c>X-Odoo-Database</c>, the parameters as the body; 200 is the method's return value, an error a 4xx/5xx with
/// <c>{name, message, arguments, context, debug}</c> (401 <c>Invalid apikey</c>);</item>
/// <item>JSON-RPC (before 19): <c>POST /jsonrpc</c> <c>{"jsonrpc": "2.0", "method": "call", "params": {service, method,
/// args}}</c>: <c>common.authenticate(db, login, key, {})</c> once for the user id, then
/// <c>object.execute_kw(db, uid, key, model, method, [domain], {…})</c>; an error is a 200 with <c>error</c>.</item>
/// </list>
/// </summary>
public sealed class OdooClient(MarketplaceHttp http)
{
    /// <summary>JSON-RPC user ids, by connection and API key (a new key authenticates again).</summary>
    private readonly ConcurrentDictionary<string, long> users = new();

    private long requestIds;

    /// <summary>The method's return value. <paramref name="parameters"/>: its named parameters; <c>domain</c> goes first, by position, over JSON-RPC.</summary>
    public async Task<OdooAnswer> CallAsync(Connection connection, string model, string method, JsonObject parameters, CancellationToken cancellationToken)
    {
        var settings = OdooSettings.Of(connection);
        var what = $"odoo {model}.{method}";
        var key = AdapterSupport.Credential(connection, "apiKey");
        var baseUrl = AdapterSupport.BaseUrl(connection, null);
        if (settings.Api == OdooApi.Json2)
        {
            var response = await http.SendJsonAsync(connection, null, HttpMethod.Post, new Uri($"{baseUrl}/json/2/{model}/{method}"), parameters.ToJsonString(), request =>
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("bearer", key);
                if (settings.Database is { } database)
                {
                    request.Headers.Add("X-Odoo-Database", database);
                }

                request.Headers.UserAgent.ParseAdd("FunctionsSync");
            }, what, cancellationToken);
            return new OdooAnswer(response, response.Root);
        }

        var database2 = settings.Database ?? throw new MarketplaceException(MarketplaceErrorKind.BadRequest, "odoo: settings.database is required for JSON-RPC");
        var uid = await UserAsync(connection, baseUrl, database2, settings.Login, key, cancellationToken);
        var domain = parameters["domain"]?.DeepClone() ?? new JsonArray();
        var named = new JsonObject();
        foreach (var (name, value) in parameters.Where(p => p.Key != "domain"))
        {
            named[name] = value?.DeepClone();
        }

        return await RpcAsync(connection, baseUrl, "object", "execute_kw", new JsonArray(database2, uid, key, model, method, new JsonArray(domain), named), what, cancellationToken);
    }

    private async Task<long> UserAsync(Connection connection, string baseUrl, string database, string? login, string key, CancellationToken cancellationToken)
    {
        var cacheKey = $"{connection.Id}|{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16]}";
        if (users.TryGetValue(cacheKey, out var cached))
        {
            return cached;
        }

        if (login is null)
        {
            throw new MarketplaceException(MarketplaceErrorKind.BadRequest, "odoo: settings.login is required for JSON-RPC");
        }

        using var answer = await RpcAsync(connection, baseUrl, "common", "authenticate", new JsonArray(database, login, key, new JsonObject()), "odoo common.authenticate", cancellationToken);
        if (answer.Result.ValueKind != JsonValueKind.Number)
        {
            // authenticate answers false for a wrong login or key, and for an expired key.
            throw new MarketplaceException(MarketplaceErrorKind.Auth, "odoo common.authenticate: credentials refused (the login or API key is wrong, or the key expired)", 401);
        }

        return users[cacheKey] = answer.Result.GetInt64();
    }

    private async Task<OdooAnswer> RpcAsync(Connection connection, string baseUrl, string service, string method, JsonArray args, string what, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["method"] = "call",
            ["params"] = new JsonObject { ["service"] = service, ["method"] = method, ["args"] = args },
            ["id"] = Interlocked.Increment(ref requestIds),
        };
        var response = await http.SendJsonAsync(connection, null, HttpMethod.Post, new Uri($"{baseUrl}/jsonrpc"), body.ToJsonString(), _ => { }, what, cancellationToken);
        if (response.Root.Opt("error") is { } error)
        {
            using (response)
            {
                var name = error.Opt("data")?.OptStr("name") ?? "";
                var message = error.Opt("data")?.OptStr("message") ?? error.OptStr("message") ?? "error";
                throw name.EndsWith("AccessDenied", StringComparison.Ordinal)
                    ? new MarketplaceException(MarketplaceErrorKind.Auth, $"{what}: credentials refused ({message})", 401)
                    : new MarketplaceException(MarketplaceErrorKind.BadRequest, $"{what}: refused ({name}: {message})", 200);
            }
        }

        if (response.Root.Opt("result") is not { } result)
        {
            using (response)
            {
                throw new MarketplaceException(MarketplaceErrorKind.BadResponse, $"{what}: the answer has neither 'result' nor 'error'");
            }
        }

        return new OdooAnswer(response, result);
    }
}

/// <summary>A method's return value, with the answer it is read from.</summary>
public sealed class OdooAnswer(MarketplaceResponse response, JsonElement result) : IDisposable
{
    public JsonElement Result { get; } = result;

    public void Dispose() => response.Dispose();
}
