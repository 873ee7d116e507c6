using FunctionsSync.Core.Scheduling;

namespace FunctionsSync.Core.Connections.Settings;

/// <summary>A setting holding a cron expression (six fields, seconds first, UTC), read as its schedule.</summary>
public sealed record CronSetting(string Name, string Rule) : ConnectionSetting<CronSchedule?>(Name, Rule, null)
{
    public override bool Accepts(string raw) => CronSchedule.TryParse(raw.Trim(), out _, out _);

    protected override bool TryRead(string raw, out CronSchedule? value) => CronSchedule.TryParse(raw.Trim(), out value, out _);
}
