using FunctionsSync.Core.Adapters;
using FunctionsSync.Core.Conflicts;
using FunctionsSync.Core.Sync;

namespace FunctionsSync.UnitTests.Sync;

public sealed class RunFailureTests
{
    [Theory]
    [InlineData(MarketplaceErrorKind.Auth, ConflictType.AuthError, true)]
    [InlineData(MarketplaceErrorKind.RateLimited, ConflictType.RetryExhausted, false)]
    [InlineData(MarketplaceErrorKind.Transient, ConflictType.RetryExhausted, false)]
    [InlineData(MarketplaceErrorKind.BadResponse, null, false)]
    public void A_marketplace_error_ends_the_run_naming_what_was_read_with_the_conflict_a_person_must_resolve(MarketplaceErrorKind kind, ConflictType? conflict, bool needsAttention)
    {
        var failure = RunFailure.From(new MarketplaceException(kind, "it broke"), "shopify orders");
        Assert.Equal(("shopify orders: it broke", kind, conflict, needsAttention), (failure.Error, failure.Kind, failure.Conflict, failure.NeedsAttention));
        Assert.Null(failure.Unexpected);
    }

    [Fact]
    public void Any_other_exception_is_an_internal_error_kept_for_the_log()
    {
        var bug = new InvalidOperationException("null somewhere");
        var failure = RunFailure.From(bug, "shopify orders");
        Assert.Equal(("Internal error: null somewhere", (MarketplaceErrorKind?)null, (ConflictType?)null, false), (failure.Error, failure.Kind, failure.Conflict, failure.NeedsAttention));
        Assert.Same(bug, failure.Unexpected);
    }
}
