using FunctionsSync.Core.Access;
using FunctionsSync.SelfHosted;
using FunctionsSync.SelfHosted.Api;
using FunctionsSync.Hosting.Api;
using FunctionsSync.SelfHosted.Demo;
using Microsoft.Extensions.Options;

var once = args.Contains("--once");
var builder = WebApplication.CreateBuilder(args.Where(a => a != "--once").ToArray());
builder.AddDemo();
// --once runs one cycle itself; a scheduled cycle must not compete with it.
builder.AddSelfHostedFunctionsSync(withScheduler: !once);
if (once)
{
    // The progress lines are the output; only problems are logged.
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
}

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseUrlLengthLimit();
app.MapFunctionsSyncApi();
app.MapFunctionsSyncDashboard();
app.MapOpenApi();

await app.StartAsync();
var adminKey = app.Services.GetRequiredService<IOptions<ApiOptions>>().Value.AdminKey;
Console.WriteLine($"FunctionsSync API on {string.Join(", ", app.Urls)}");
Console.WriteLine($"dashboard: {app.Urls.First().TrimEnd('/')}/");
if (app.Configuration.GetValue<bool>("Demo:Enabled"))
{
    // scripts/run.sh keeps the key in its data folder (FUNCTIONSSYNC_ADMIN_KEY_FILE): said, so it is found again later.
    var keptIn = Environment.GetEnvironmentVariable("FUNCTIONSSYNC_ADMIN_KEY_FILE");
    Console.WriteLine($"admin key (X-Api-Key): {adminKey}{(string.IsNullOrEmpty(keptIn) ? "" : $" (kept in {keptIn})")}");
}

if (once)
{
    using var stop = CancellationTokenSource.CreateLinkedTokenSource(app.Lifetime.ApplicationStopping);
    var code = await app.Services.GetRequiredService<OnceRunner>().RunAsync(Console.Out, stop.Token);
    await app.StopAsync();
    return code;
}

await app.WaitForShutdownAsync();
return 0;

public partial class Program;
