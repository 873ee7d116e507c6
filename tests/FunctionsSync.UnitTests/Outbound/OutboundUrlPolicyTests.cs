using System.Net;
using FunctionsSync.Core.Outbound;

namespace FunctionsSync.UnitTests.Outbound;

public sealed class OutboundUrlPolicyTests
{
    private static readonly OutboundUrlPolicy Strict = new([], "targets");

    [Theory]
    [InlineData("https://hooks.example.com/sync")]
    [InlineData("http://203.0.113.10:8080/hook")]
    public void Public_http_targets_are_accepted(string url) => Assert.Null(Strict.Check(url));

    [Theory]
    [InlineData("")]
    [InlineData("not a url")]
    [InlineData("ftp://hooks.example.com/x")]
    [InlineData("file:///etc/passwd")]
    [InlineData("http://localhost/x")]
    [InlineData("http://api.localhost/x")]
    [InlineData("http://127.0.0.1:7080/x")]
    [InlineData("http://10.0.0.1/x")]
    [InlineData("http://172.20.1.1/x")]
    [InlineData("http://192.168.1.1/x")]
    [InlineData("http://169.254.169.254/x")]
    [InlineData("http://100.64.0.1/x")]
    [InlineData("http://[::1]/x")]
    [InlineData("http://[fd00::1]/x")]
    [InlineData("http://[::ffff:10.0.0.1]/x")]
    [InlineData("https://user:secret@hooks.example.com/x")]
    public void Unsafe_targets_are_refused(string url) => Assert.NotNull(Strict.Check(url));

    [Fact]
    public void The_allow_list_admits_a_named_host_and_port_only()
    {
        var policy = new OutboundUrlPolicy(["127.0.0.1:7080"], "targets");
        Assert.Null(policy.Check("http://127.0.0.1:7080/mock/webhooks/demo"));
        Assert.NotNull(policy.Check("http://127.0.0.1:9999/x"));
        Assert.True(policy.MayConnect("127.0.0.1", 7080, IPAddress.Loopback));
        Assert.False(policy.MayConnect("evil.example.com", 80, IPAddress.Parse("10.0.0.7")));
        Assert.True(policy.MayConnect("hooks.example.com", 443, IPAddress.Parse("203.0.113.5")));
    }

    [Theory]
    [InlineData("http://127.0.0.1:7080/shopify/demo-1", true)]
    [InlineData("http://127.0.0.1:7080/etsy", true)]
    [InlineData("http://127.0.0.1:7080/etsy/v3/application", true)]
    [InlineData("http://127.0.0.1:7080/etsyx", false)]
    [InlineData("http://127.0.0.1:7080/sim/stores", false)]
    [InlineData("http://127.0.0.1:7080/shopify/../sim/stores", false)]
    [InlineData("http://127.0.0.1:7080/shopify/%2e%2e/sim/stores", false)]
    [InlineData("http://127.0.0.1:7080/shopify/%2E%2E%2Fsim", false)]
    [InlineData("http://127.0.0.1:7081/shopify/demo-1", false)]
    public void An_allow_list_entry_with_a_path_admits_only_what_lies_under_it(string url, bool allowed)
    {
        var policy = new OutboundUrlPolicy(["127.0.0.1:7080/shopify", "127.0.0.1:7080/etsy"], "targets");
        Assert.Equal(allowed, policy.Check(url) is null);
        // The dialler sees host and port only: the path was settled when the address was registered.
        Assert.True(policy.MayConnect("127.0.0.1", 7080, IPAddress.Loopback));
    }
}
