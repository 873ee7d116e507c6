using FunctionsSync.Core.Api;

namespace FunctionsSync.Core.Connections;

public sealed class PatchConnectionRequest
{
    public bool? Enabled { get; set; }
    public int? Priority { get; set; }
    public int? IntervalMinutes { get; set; }
    public Dictionary<string, string>? Credentials { get; set; }
    public Dictionary<string, string>? Settings { get; set; }
}
