using FunctionsSync.Core.Events;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace FunctionsSync.UnitTests;

/// <summary>A live-event publisher whose log accepts everything and keeps nothing.</summary>
public static class TestEvents
{
    public static LiveEvents Create() => new(Mock.Of<ILiveEventLog>(), Settings(), TimeProvider.System, NullLogger<LiveEvents>.Instance);

    public static IOptions<LiveEventOptions> Settings() => Options.Create(new LiveEventOptions());
}
