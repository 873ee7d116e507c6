using System.ComponentModel.DataAnnotations;
using FunctionsSync.Simulator.Data;
using FunctionsSync.Simulator.Faults;

namespace FunctionsSync.Simulator;

/// <summary>Bound from configuration section <c>Simulator</c>.</summary>
public sealed class SimulatorOptions
{
    public const string SectionName = "Simulator";

    /// <summary>Whether the marketplaces' published rate limits apply (tests and benchmarks turn them off or tune them).</summary>
    public bool RateLimits { get; set; } = true;

    public SimFaults Faults { get; set; } = new();

    /// <summary>Stores created at start-up, keyed "marketplace/storeId".</summary>
    public Dictionary<string, SimStoreConfig> Stores { get; set; } = [];

    /// <summary>Basic Auth credentials of <c>/mock/{marketplace}/validate</c>.</summary>
    [Required]
    public string ValidateUser { get; set; } = "simulator";

    [Required]
    public string ValidatePassword { get; set; } = "simulator";
}
