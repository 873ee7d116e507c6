using FunctionsSync.Simulator;

// Standalone: dotnet run --project src/FunctionsSync.Simulator -- --urls http://127.0.0.1:7080
var app = SimulatorApp.Build(args);
if (app.Urls.Count == 0 && string.IsNullOrEmpty(app.Configuration["urls"]))
{
    app.Urls.Add("http://127.0.0.1:7080");
}

app.Run();
