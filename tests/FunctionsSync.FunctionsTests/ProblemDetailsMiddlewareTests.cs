using System.Collections.Immutable;
using System.Text.Json;
using FunctionsSync.Functions.Middleware;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using FunctionsSync.Core.Access;

namespace FunctionsSync.FunctionsTests;

/// <summary>The app's one exception middleware: a throwing HTTP trigger answers a problem-details 500; other triggers rethrow; an over-long URL is a 414 problem.</summary>
public sealed class ProblemDetailsMiddlewareTests
{
    [Fact]
    public async Task A_throwing_HTTP_trigger_answers_a_problem_500_without_the_exception_text()
    {
        var http = new DefaultHttpContext();
        var body = new MemoryStream();
        http.Response.Body = body;
        var context = new FakeFunctionContext("ConnectionGet", http);

        await Middleware()
            .Invoke(context, _ => throw new InvalidOperationException("secret-connection-string-detail"));

        Assert.Equal(500, http.Response.StatusCode);
        Assert.Equal("application/problem+json", http.Response.ContentType);
        var problem = JsonDocument.Parse(body.ToArray()).RootElement;
        Assert.Equal(500, problem.GetProperty("status").GetInt32());
        Assert.Contains(context.InvocationId, problem.GetProperty("detail").GetString());
        Assert.DoesNotContain("secret", body.ToArray().Length == 0 ? "" : System.Text.Encoding.UTF8.GetString(body.ToArray()));
    }

    [Fact]
    public async Task Other_triggers_rethrow_so_their_own_retries_apply()
    {
        var context = new FakeFunctionContext("SyncPage", http: null);
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Middleware().Invoke(context, _ => throw new InvalidOperationException("boom")));
    }

    [Fact]
    public async Task A_URL_beyond_Api_MaxUrlLength_answers_a_problem_414_and_the_trigger_never_runs()
    {
        var http = new DefaultHttpContext();
        var body = new MemoryStream();
        http.Response.Body = body;
        http.Request.Path = "/api/connections/" + new string('x', 5_000);
        var ran = false;

        await Middleware().Invoke(new FakeFunctionContext("ConnectionGet", http), _ =>
        {
            ran = true;
            return Task.CompletedTask;
        });

        Assert.False(ran);
        Assert.Equal(414, http.Response.StatusCode);
        Assert.Equal("application/problem+json", http.Response.ContentType);
        Assert.Equal(414, JsonDocument.Parse(body.ToArray()).RootElement.GetProperty("status").GetInt32());
    }

    private static ProblemDetailsMiddleware Middleware() =>
        new(Options.Create(new ApiOptions { AdminKey = "test-admin-key-0123456789" }), NullLogger<ProblemDetailsMiddleware>.Instance);

    /// <summary>A function invocation as the worker hands it to middleware; ASP.NET Core integration keeps the HttpContext in Items.</summary>
    private sealed class FakeFunctionContext : FunctionContext
    {
        public FakeFunctionContext(string name, HttpContext? http)
        {
            FunctionDefinition = new FakeDefinition(name);
            if (http is not null)
            {
                Items["HttpRequestContext"] = http;
            }
        }

        public override string InvocationId { get; } = Guid.NewGuid().ToString("N");
        public override string FunctionId => FunctionDefinition.Id;
        public override TraceContext TraceContext => null!;
        public override BindingContext BindingContext => null!;
        public override RetryContext RetryContext => null!;
        public override IServiceProvider InstanceServices { get; set; } = null!;
        public override FunctionDefinition FunctionDefinition { get; }
        public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();
        public override IInvocationFeatures Features => null!;
    }

    private sealed class FakeDefinition(string name) : FunctionDefinition
    {
        public override ImmutableArray<FunctionParameter> Parameters => [];
        public override string PathToAssembly => "";
        public override string EntryPoint => name;
        public override string Id => name;
        public override string Name => name;
        public override IImmutableDictionary<string, BindingMetadata> InputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;
        public override IImmutableDictionary<string, BindingMetadata> OutputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;
    }
}
