using FunctionsSync.Simulator.Data;
using FunctionsSync.Simulator.Faults;

namespace FunctionsSync.Simulator.Endpoints;

/// <summary>The simulator's own control API under <c>/sim</c>: stores, changes, faults, limits, request log.</summary>
internal static class ControlEndpoints
{
    private static readonly string[] Marketplaces = ["shopify", "woocommerce", "etsy", "amazon"];

    public static void Map(IEndpointRouteBuilder app)
    {
        var sim = app.MapGroup("/sim");
        sim.MapPut("/stores/{marketplace}/{storeId}", (SimulatorState state, string marketplace, string storeId, SimStoreConfig config) =>
        {
            if (!Marketplaces.Contains(marketplace))
            {
                return Results.Problem(statusCode: 400, title: "Unknown marketplace", detail: $"Use one of {string.Join(", ", Marketplaces)}.");
            }

            if (config.Orders < 0 || config.Products < 0 || config.Customers < 0 || config.Orders > 5_000_000 || config.Products > 5_000_000 || config.Customers > 5_000_000)
            {
                return Results.Problem(statusCode: 400, title: "Invalid store size", detail: "Sizes must be between 0 and 5,000,000.");
            }

            return Results.Ok(Summary(state.PutStore(marketplace, storeId, config)));
        });
        sim.MapGet("/stores", (SimulatorState state) => Results.Ok(state.Stores.Select(Summary)));
        sim.MapGet("/stores/{marketplace}/{storeId}", (SimulatorState state, string marketplace, string storeId) =>
            state.GetStore(marketplace, storeId) is { } store ? Results.Ok(Summary(store)) : Results.NotFound());
        sim.MapPost("/stores/{marketplace}/{storeId}/mutate", (SimulatorState state, string marketplace, string storeId, MutateRequest request) =>
        {
            if (state.GetStore(marketplace, storeId) is not { } store)
            {
                return Results.NotFound();
            }

            SimKind? kind = request.Entity switch { "orders" => SimKind.Orders, "products" => SimKind.Products, "customers" => SimKind.Customers, _ => null };
            if (kind is null || request.Count < 1)
            {
                return Results.Problem(statusCode: 400, title: "Invalid change request", detail: "entity must be orders, products or customers and count at least 1.");
            }

            var at = request.At ?? state.Time.GetUtcNow();
            var indexes = store.Mutate(kind.Value, request.Count, at);
            return Results.Ok(new { entity = request.Entity, indexes, at });
        });
        // The app's notification subscription: the store notifies every change and deletion there, signed with the secret.
        sim.MapPut("/stores/{marketplace}/{storeId}/subscription", (SimulatorState state, string marketplace, string storeId, SimSubscription subscription) =>
        {
            if (state.GetStore(marketplace, storeId) is not { } store)
            {
                return Results.NotFound();
            }

            store.Subscription = subscription;
            return Results.NoContent();
        });
        sim.MapPost("/stores/{marketplace}/{storeId}/revoke", (SimulatorState state, string marketplace, string storeId) =>
        {
            if (state.GetStore(marketplace, storeId) is not { } store)
            {
                return Results.NotFound();
            }

            // The seller removed the app: its refresh and access tokens stop working.
            store.Tokens.Revoke();
            return Results.NoContent();
        });
        sim.MapGet("/stores/{marketplace}/{storeId}/tokens", (SimulatorState state, string marketplace, string storeId) =>
            state.GetStore(marketplace, storeId) is { } store ? Results.Ok(new { refreshes = store.Tokens.Refreshes, spentBy = store.Tokens.SpentBy.Values }) : Results.NotFound());
        sim.MapPut("/faults", (SimulatorState state, SimFaults faults) =>
        {
            state.Faults = faults;
            return Results.Ok(faults);
        });
        sim.MapDelete("/faults", (SimulatorState state) =>
        {
            state.Faults = new SimFaults();
            return Results.NoContent();
        });
        sim.MapPut("/limits", (SimulatorState state, LimitsRequest request) =>
        {
            state.RateLimitsEnabled = request.Enabled;
            return Results.Ok(request);
        });
        sim.MapGet("/validations", (SimulatorState state) => Results.Ok(state.Validations));
        sim.MapGet("/requests", (SimulatorState state) =>
        {
            var requests = state.Requests;
            return Results.Ok(new
            {
                total = requests.Count,
                byStatus = requests.GroupBy(r => r.Status).ToDictionary(g => g.Key.ToString(), g => g.Count()),
            });
        });
        sim.MapDelete("/requests", (SimulatorState state) =>
        {
            state.ClearRequests();
            return Results.NoContent();
        });
    }

    private static object Summary(SimStore store) => new
    {
        marketplace = store.Marketplace,
        storeId = store.StoreId,
        orders = store.Config.Orders,
        products = store.Config.Products,
        customers = store.Config.Customers,
        seed = store.Config.Seed,
        rateLimit = store.Limiter.Limit,
    };

    internal sealed record MutateRequest(string Entity, int Count, DateTimeOffset? At);

    internal sealed record LimitsRequest(bool Enabled);
}
