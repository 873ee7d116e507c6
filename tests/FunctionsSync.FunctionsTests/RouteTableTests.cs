using FunctionsSync.Core.Api;

namespace FunctionsSync.FunctionsTests;

/// <summary>The Functions app's API trigger finds every route of Core's table by its verb and path, and no other.</summary>
public sealed class RouteTableTests
{
    [Fact]
    public void Every_route_of_the_table_is_found_by_its_verb_and_path_with_its_values()
    {
        foreach (var route in ApiRoutes.All)
        {
            var path = "/" + string.Join('/', route.Template.Split('/').Select(s => s.StartsWith('{') ? "v-" + s.Trim('{', '}') : s));
            Assert.True(ApiRouteMatcher.TryMatch(route.Verb, path, out var found, out var values), $"{route.Verb} {path}");
            Assert.Same(route, found);
            Assert.All(values, v => Assert.Equal("v-" + v.Key, v.Value));
        }

        Assert.False(ApiRouteMatcher.TryMatch("GET", "/connections/c-1/nothing", out _, out _));
        Assert.False(ApiRouteMatcher.TryMatch("PUT", "/connections", out _, out _));
    }
}
