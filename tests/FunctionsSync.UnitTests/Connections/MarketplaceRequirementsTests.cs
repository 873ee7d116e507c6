using FunctionsSync.Core.Connections;

namespace FunctionsSync.UnitTests.Connections;

public sealed class MarketplaceRequirementsTests
{
    [Theory]
    [InlineData("fullSync", "report", true)]
    [InlineData("fullSync", "orders", true)]
    [InlineData("fullSync", "bulk", false)]
    [InlineData("historyStart", "2023-12-01T00:00:00Z", true)]
    [InlineData("historyStart", "last spring", false)]
    [InlineData("reportWindowDays", "30", true)]
    [InlineData("reportWindowDays", "0", false)]
    [InlineData("reportWindowDays", "9000", false)]
    [InlineData("orderItems", "false", true)]
    [InlineData("orderItems", "no", false)]
    public void Amazons_sync_settings_are_checked_before_a_run_needs_them(string name, string value, bool valid)
    {
        var problems = MarketplaceRequirements.Validate(MarketplaceNames.Amazon, null, new Dictionary<string, string> { [name] = value }).ToList();
        Assert.Equal(valid, problems.Count == 0);
        if (!valid)
        {
            Assert.Equal("settings." + name, Assert.Single(problems).Field);
        }
    }
}
