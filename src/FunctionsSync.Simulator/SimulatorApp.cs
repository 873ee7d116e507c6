using FunctionsSync.Simulator.Data;
using FunctionsSync.Simulator.Endpoints;

namespace FunctionsSync.Simulator;

/// <summary>Builds the simulator, for its own process (Program) and in-process on a free port (tests, demo, benchmark).</summary>
public static class SimulatorApp
{
    public static WebApplication Build(string[] args, Action<SimulatorOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Services.AddProblemDetails();
        var options = builder.Services.AddOptions<SimulatorOptions>().BindConfiguration(SimulatorOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SimulatorState>();
        builder.Services.AddSingleton<Webhooks.WebhookReceivers>();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        var app = builder.Build();
        var state = app.Services.GetRequiredService<SimulatorState>();
        var configured = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SimulatorOptions>>().Value;
        state.RateLimitsEnabled = configured.RateLimits;
        state.Faults = configured.Faults;
        foreach (var (key, store) in configured.Stores)
        {
            var parts = key.Split('/', 2);
            if (parts.Length == 2)
            {
                state.PutStore(parts[0], parts[1], store);
            }
        }

        app.MapGet("/", () => Results.Ok(new { service = "FunctionsSync marketplace simulator", marketplaces = new[] { "shopify", "woocommerce", "etsy", "amazon" } }));
        ControlEndpoints.Map(app);
        ShopifyEndpoints.Map(app);
        GraphQl.ShopifyGraphQlEndpoints.Map(app);
        WooCommerceEndpoints.Map(app);
        EtsyEndpoints.Map(app);
        MedipimEndpoints.Map(app);
        OdooEndpoints.Map(app);
        AmazonEndpoints.Map(app);
        AmazonSearchOrdersEndpoints.Map(app);
        OAuthEndpoints.Map(app);
        AmazonReportEndpoints.Map(app);
        ValidateEndpoints.Map(app);
        WebhookReceiverEndpoints.Map(app);
        return app;
    }

    public static SimulatorState State(this WebApplication app) => app.Services.GetRequiredService<SimulatorState>();
}
