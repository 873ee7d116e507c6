using System.Text.RegularExpressions;
using FunctionsSync.Core.Connections;
using FunctionsSync.Core.Connections.Settings;

namespace FunctionsSync.Marketplaces.Odoo;

/// <summary>Which of Odoo's external APIs a connection speaks.</summary>
public enum OdooApi
{
    /// <summary><c>POST /json/2/&lt;model&gt;/&lt;method&gt;</c> with a bearer API key: Odoo 19 and later (contracts/odoo/external_json2_api.19.0.excerpt.rst).</summary>
    Json2,

    /// <summary>
    /// <c>POST /jsonrpc</c>, <c>common.authenticate</c> then <c>object.execute_kw</c> with the API key in place of the
    /// password: Odoo before 19, deprecated in 19 (contracts/odoo/external_rpc_api.excerpt.rst).
    /// </summary>
    JsonRpc,
}

/// <summary>An Odoo connection's settings: the database, the API and (JSON-RPC) the user's login.</summary>
public sealed partial record OdooSettings(OdooApi Api, string? Database, string? Login, string Currency)
{
    public static OdooSettings Of(Connection connection) => new(
        Definitions.Api.Of(connection),
        Definitions.Database.Of(connection),
        Definitions.Login.Of(connection),
        CommonSettings.Currency.Of(connection)!);

    /// <summary>
    /// An API key (Odoo's keys last at most three months: an expired one is refused like a wrong one, and the
    /// connection turns <c>action_required</c>); the database where the server hosts several; the login JSON-RPC
    /// authenticates with; the currency of list prices, which a product does not state.
    /// </summary>
    public static ConnectionRequirements Requirements { get; } = new()
    {
        Credentials = ["apiKey"],
        PageSize = CommonSettings.PageSize(OdooFeed.MaxPageSize),
        Settings = [Definitions.Api, Definitions.Database, Definitions.Login, CommonSettings.Currency],
    };

    public static class Definitions
    {
        public static ChoiceSetting<OdooApi> Api { get; } = new("api", new Dictionary<string, OdooApi> { ["json2"] = OdooApi.Json2, ["jsonrpc"] = OdooApi.JsonRpc }, OdooApi.Json2);

        /// <summary>Sent as <c>X-Odoo-Database</c> (JSON-2) and as <c>execute_kw</c>'s first argument (JSON-RPC).</summary>
        public static TextSetting Database { get; } = new("database", "An Odoo database name: letters, digits, '_', '-' and '.'.", Name());

        public static TextSetting Login { get; } = new("login", "The Odoo user's login (JSON-RPC authenticates with it and the API key).", Anything());
    }

    [GeneratedRegex(@"\A[A-Za-z0-9_.\-]{1,63}\z")]
    private static partial Regex Name();

    [GeneratedRegex(@"\A\S.{0,254}\z")]
    private static partial Regex Anything();
}
