using FunctionsSync.FunctionsTests.Infrastructure;
using FunctionsSync.Functions.Http;

namespace FunctionsSync.FunctionsTests;

/// <summary>The Functions app serves the same dashboard files as the self-hosted runtime, from its own trigger.</summary>
public sealed class DashboardFunctionTests
{
    [Theory]
    [InlineData(null, "text/html", "<h1>FunctionsSync</h1>")]
    [InlineData("app.js", "text/javascript", "/api/events")]
    [InlineData("app.css", "text/css", "progress")]
    public async Task The_page_and_its_files_are_served_with_a_policy_that_allows_only_this_origin(string? file, string contentType, string contains)
    {
        var function = new DashboardFunction();
        var answer = await HttpCall.InvokeAsync(r => Task.FromResult(function.Run(r, file)), "GET", "/api/dashboard/" + file, key: null);

        Assert.Equal(200, answer.Status);
        Assert.StartsWith(contentType, answer.ContentType);
        Assert.Contains(contains, answer.Text);
        Assert.Equal(Hosting.DashboardAssets.ContentSecurityPolicy, answer.Headers["Content-Security-Policy"]);
    }

    [Fact]
    public async Task Any_other_file_is_not_found()
    {
        var answer = await HttpCall.InvokeAsync(r => Task.FromResult(new DashboardFunction().Run(r, "../secrets.json")), "GET", "/api/dashboard/../secrets.json", key: null);
        Assert.Equal(404, answer.Status);
    }
}
