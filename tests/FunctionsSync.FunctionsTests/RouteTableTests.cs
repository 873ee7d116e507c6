using System.Reflection;
using FunctionsSync.Core.Api;
using Microsoft.Azure.Functions.Worker;

namespace FunctionsSync.FunctionsTests;

/// <summary>The Functions app's HTTP triggers are exactly Core's route table: the same names, verbs and templates.</summary>
public sealed class RouteTableTests
{
    [Fact]
    public void Every_HTTP_trigger_is_a_route_of_the_table_and_every_route_has_its_trigger()
    {
        var triggers = typeof(Functions.FunctionsAppRegistration).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .Select(m => (Function: m.GetCustomAttribute<FunctionAttribute>(), Trigger: m.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)))
            .Where(f => f.Function is not null && f.Trigger is not null && f.Function.Name != Functions.Http.FallbackFunction.Name && f.Function.Name != Functions.Http.DashboardFunction.Name && f.Function.Name != Functions.Http.OpenApiFunction.Name)
            .SelectMany(f => f.Trigger!.Methods!.Select(verb => new ApiRoute(f.Function!.Name, verb.ToUpperInvariant(), f.Trigger.Route!)))
            .OrderBy(r => r.Name)
            .ToList();

        Assert.Equal(ApiRoutes.All.OrderBy(r => r.Name), triggers);
    }
}
