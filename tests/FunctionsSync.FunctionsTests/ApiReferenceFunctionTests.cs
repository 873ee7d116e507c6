using FunctionsSync.FunctionsTests.Infrastructure;
using FunctionsSync.Functions.Http;

namespace FunctionsSync.FunctionsTests;

/// <summary>The Functions app serves the same API reference as the self-hosted runtime, from its own trigger.</summary>
public sealed class ApiReferenceFunctionTests
{
    [Theory]
    [InlineData(null, "text/html", "reference/scalar.js")]
    [InlineData("reference.js", "text/javascript", "openapi/v1.json")]
    [InlineData("scalar.js", "text/javascript", "createApiReference")]
    public async Task The_page_and_its_scripts_are_served_with_a_policy_that_allows_only_this_origin(string? file, string contentType, string contains)
    {
        var answer = await HttpCall.InvokeAsync(r => Task.FromResult(new ApiReferenceFunction().Run(r, file)), "GET", "/api/reference/" + file, key: null);

        Assert.Equal(200, answer.Status);
        Assert.StartsWith(contentType, answer.ContentType);
        // No Accept-Encoding asked for gzip: the bundle comes plain.
        Assert.False(answer.Headers.ContainsKey("Content-Encoding"));
        Assert.Contains(contains, answer.Text);
        Assert.Equal(Hosting.ApiReferenceAssets.ContentSecurityPolicy, answer.Headers["Content-Security-Policy"]);
    }

    [Fact]
    public async Task Any_other_file_is_not_found()
    {
        var answer = await HttpCall.InvokeAsync(r => Task.FromResult(new ApiReferenceFunction().Run(r, "../appsettings.json")), "GET", "/api/reference/../appsettings.json", key: null);
        Assert.Equal(404, answer.Status);
    }
}
