using System.ComponentModel.DataAnnotations;

namespace FunctionsSync.SelfHosted.Demo;

/// <summary>Bound from configuration section <c>Demo</c>: the seeded demo that scripts/run.sh starts.</summary>
public sealed class DemoOptions
{
    public const string SectionName = "Demo";

    /// <summary>Seed the simulator stores and register demo connections at start-up.</summary>
    public bool Enabled { get; set; }

    /// <summary>The marketplace simulator the demo connections point at.</summary>
    [Url]
    public string SimulatorUrl { get; set; } = "http://127.0.0.1:7080";

    [Range(1, 50)]
    public int Organizations { get; set; } = 2;

    [Range(0, 1_000_000)]
    public int Orders { get; set; } = 3_000;

    [Range(0, 1_000_000)]
    public int Products { get; set; } = 1_000;

    [Range(0, 1_000_000)]
    public int Customers { get; set; } = 500;
}
