using FunctionsSync.Core.Orchestration;
using FunctionsSync.Functions.Activities;
using FunctionsSync.Functions.Orchestration;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsSync.FunctionsTests.Infrastructure;

/// <summary>
/// The app's orchestrator and activity functions under their [Function] names, for a Durable Task worker (the tests
/// and the benchmark; linked as source into both). Orchestrators are registered typed: the untyped form hands
/// <c>GetInput&lt;T&gt;</c> a JsonElement. Activity classes are built from the app's services, as the worker builds them.
/// </summary>
public static class AppDurableFunctions
{
    public static void Register(DurableTaskRegistry registry, IServiceProvider app)
    {
        T Function<T>() => ActivatorUtilities.CreateInstance<T>(app);
        registry.AddOrchestratorFunc<CycleInput, CycleResult>(OrchestrationNames.SyncCycle, (context, _) => SyncCycleOrchestrator.RunAsync(context));
        registry.AddOrchestratorFunc<LaneInput, CycleTotals?>(OrchestrationNames.CycleLane, (context, _) => CycleLaneOrchestrator.RunAsync(context));
        registry.AddOrchestratorFunc<ConnectionSyncInput, PageResult?>(OrchestrationNames.ConnectionSync, (context, _) => ConnectionSyncOrchestrator.RunAsync(context));
        registry.AddActivityFunc<CycleInput, CyclePlan>(OrchestrationNames.PlanCycle, (_, input) => Function<PlanCycleActivity>().RunAsync(input, CancellationToken.None));
        registry.AddActivityFunc<PageRequest, PageResult>(OrchestrationNames.SyncPage, (_, input) => Function<SyncPageActivity>().RunAsync(input, CancellationToken.None));
        registry.AddActivityFunc<CycleRecord, bool>(OrchestrationNames.RecordCycle, (_, input) => Function<RecordCycleActivity>().RunAsync(input, CancellationToken.None));
    }
}
