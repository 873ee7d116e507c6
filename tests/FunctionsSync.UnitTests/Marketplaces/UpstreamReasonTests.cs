using System.Net;
using FunctionsSync.Marketplaces.Http;

namespace FunctionsSync.UnitTests.Marketplaces;

/// <summary>What a run's error may carry of a refused upstream answer: its status and a short JSON error message, never the body.</summary>
public sealed class UpstreamReasonTests
{
    [Fact]
    public void A_body_that_is_not_a_JSON_error_is_left_out_entirely() =>
        Assert.Equal("400 Bad Request", UpstreamReason.Of(HttpStatusCode.BadRequest, "ami-id\ninstance-id\niam/security-credentials/role: AKIA-SECRET"));

    [Fact]
    public void A_JSON_body_contributes_only_its_error_message()
    {
        var reason = UpstreamReason.Of(HttpStatusCode.Unauthorized, """{"errors":"[API] Invalid API key or access token","AccessKeyId":"AKIA-SECRET"}""");
        Assert.Equal("401 Unauthorized: [API] Invalid API key or access token", reason);
    }

    [Fact]
    public void Nested_error_shapes_give_their_first_text_cut_short_and_without_control_characters()
    {
        var reason = UpstreamReason.Of(HttpStatusCode.Forbidden, $$"""{"errors":[{"message":"denied\r\nX-Injected: 1 {{new string('a', 300)}}"}]}""");
        Assert.StartsWith("403 Forbidden: denied  X-Injected: 1 aaa", reason);
        Assert.DoesNotContain('\n', reason);
        Assert.True(reason.Length <= "403 Forbidden: ".Length + UpstreamReason.MaxLength + 1, reason);
    }

    [Fact]
    public void An_unknown_status_is_shown_by_number() =>
        Assert.Equal("499", UpstreamReason.Of((HttpStatusCode)499, "{}").Trim());
}
