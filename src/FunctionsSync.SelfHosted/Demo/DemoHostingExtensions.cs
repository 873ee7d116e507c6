using System.Security.Cryptography;
using FunctionsSync.Core.Access;
using FunctionsSync.Marketplaces.OAuth;

namespace FunctionsSync.SelfHosted.Demo;

/// <summary>
/// The demo <c>scripts/run.sh</c> starts (<c>Demo:Enabled</c>): an admin key when none is configured, receipts
/// validated and webhooks received by the simulator, connections allowed to its marketplace paths (and nothing else
/// of its address), the seeder and the <c>--once</c> runner. Settings given explicitly win over each of these.
/// </summary>
public static class DemoHostingExtensions
{
    /// <summary>Call before <see cref="SelfHostedExtensions.AddSelfHostedFunctionsSync"/>: its options read what this adds, and the seeder starts before the scheduler.</summary>
    public static WebApplicationBuilder AddDemo(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<DemoSeeder>();
        builder.Services.AddSingleton<OnceRunner>();
        // Hosted services start in registration order: the first cycle already sees the demo connections.
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DemoSeeder>());
        if (builder.Configuration.GetValue<bool>($"{DemoOptions.SectionName}:Enabled"))
        {
            builder.Configuration.AddInMemoryCollection(Defaults(builder.Configuration));
        }

        return builder;
    }

    private static Dictionary<string, string?> Defaults(IConfiguration configuration)
    {
        var defaults = new Dictionary<string, string?>();
        if (string.IsNullOrEmpty(configuration[$"{ApiOptions.SectionName}:AdminKey"]))
        {
            defaults[$"{ApiOptions.SectionName}:AdminKey"] = "fsa_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        }

        var simulator = new Uri(configuration[$"{DemoOptions.SectionName}:SimulatorUrl"] ?? new DemoOptions().SimulatorUrl);
        var origin = simulator.GetLeftPart(UriPartial.Authority);
        if (string.IsNullOrEmpty(configuration["Receipts:ValidatorUrl"]))
        {
            // The {marketplace} placeholder is filled per receipt; written as text, not through Uri (which escapes braces).
            defaults["Receipts:ValidatorUrl"] = origin + "/mock/{marketplace}/validate";
            defaults["Receipts:ValidatorUser"] = "simulator";
            defaults["Receipts:ValidatorPassword"] = "simulator";
        }

        // The app's OAuth clients, at the simulator's token endpoints (Shopify's is the shop's own, found from its base URL).
        foreach (var (marketplace, path) in new[] { ("amazon", "/lwa/auth/o2/token"), ("etsy", "/etsy/v3/public/oauth/token"), ("shopify", null as string) })
        {
            var client = $"{OAuthOptions.SectionName}:Clients:{marketplace}";
            if (string.IsNullOrEmpty(configuration[$"{client}:ClientId"]))
            {
                defaults[$"{client}:ClientId"] = DemoOAuth.ClientId;
                defaults[$"{client}:ClientSecret"] = DemoOAuth.ClientSecret;
                if (path is not null)
                {
                    defaults[$"{client}:TokenUrl"] = origin + path;
                }
            }
        }

        // On loopback the outbound policies refuse the simulator unless allowed: its receivers and marketplace paths only.
        var authority = simulator.Authority;
        AllowUnlessListed(configuration, defaults, "Webhooks:AllowedHosts", authority, [authority + "/mock/webhooks/"]);
        AllowUnlessListed(configuration, defaults, "Marketplaces:AllowedHosts", authority,
            [.. new[] { "shopify", "woocommerce", "etsy", "amazon" }.Select(m => $"{authority}/{m}")]);
        return defaults;
    }

    /// <summary>Appends <paramref name="entries"/> after a list's configured entries, unless one of them already names <paramref name="authority"/>.</summary>
    private static void AllowUnlessListed(IConfiguration configuration, Dictionary<string, string?> defaults, string list, string authority, string[] entries)
    {
        var configured = configuration.GetSection(list).GetChildren().ToList();
        if (configured.Any(c => c.Value?.StartsWith(authority, StringComparison.OrdinalIgnoreCase) == true))
        {
            return;
        }

        // Past the highest configured index, so the appended entries replace none.
        var next = configured.Select(c => int.TryParse(c.Key, out var i) ? i + 1 : 0).DefaultIfEmpty(0).Max();
        foreach (var entry in entries)
        {
            defaults[$"{list}:{next++}"] = entry;
        }
    }
}
