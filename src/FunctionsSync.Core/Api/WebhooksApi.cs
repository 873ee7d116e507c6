using FunctionsSync.Core.Access;
using FunctionsSync.Core.Outbound;
using FunctionsSync.Core.Webhooks;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Core.Api;

/// <summary>The <c>/api/webhooks</c> routes.</summary>
public sealed class WebhooksApi(IWebhookStore store, WebhookDispatcher dispatcher, IWebhookSignal signal, WebhookTargets targets, IOptions<WebhookOptions> options, TimeProvider time)
{
    private const int DeliveryPage = 100;

    public async Task<ApiResult> CreateAsync(ApiCaller caller, string? body, CancellationToken cancellationToken)
    {
        if (!ApiJson.TryRead<CreateWebhookRequest>(body, out var request, out var problem))
        {
            return problem;
        }

        var organizationId = request.OrganizationId?.Trim() ?? caller.OrganizationId ?? "";
        var errors = new Dictionary<string, string[]>();
        if (IdRules.OrganizationIdError(organizationId) is { } organizationError)
        {
            errors["organizationId"] = [organizationError];
        }
        else if (!caller.CanSee(organizationId))
        {
            errors["organizationId"] = ["An organization key manages webhooks of its own organization only."];
        }

        var events = request.Events?.Select(e => e?.Trim() ?? "").Distinct().ToList() ?? [];
        if (events.Count == 0 || events.Any(e => !WebhookEventTypes.All.Contains(e)))
        {
            errors["events"] = [$"One or more of: {string.Join(", ", WebhookEventTypes.All)}."];
        }

        if (targets.Policy.Check(request.TargetUrl) is { } urlProblem)
        {
            errors["targetUrl"] = [urlProblem];
        }

        if (request.Description?.Length > 500)
        {
            errors["description"] = ["At most 500 characters."];
        }

        if (errors.Count > 0)
        {
            return Problems.BadRequest("The webhook is not valid.", errors);
        }

        var endpoint = new WebhookEndpoint
        {
            Id = DeliveryIds.NewEndpointId(),
            OrganizationId = organizationId,
            TargetUrl = request.TargetUrl!,
            Events = events,
            Description = request.Description,
            Secret = WebhookSigner.NewSecret(),
            CreatedAt = time.GetUtcNow(),
        };
        await store.CreateEndpointAsync(endpoint, cancellationToken);
        return new ApiResult(201, WebhookEndpointView.From(endpoint) with { Secret = endpoint.Secret }, $"/api/webhooks/{endpoint.Id}");
    }

    public async Task<ApiResult> ListAsync(ApiCaller caller, string? organizationId, CancellationToken cancellationToken)
    {
        if (!caller.TryScope(organizationId, out var scope))
        {
            return new ApiResult(200, new { webhooks = Array.Empty<WebhookEndpointView>() });
        }

        var endpoints = await store.ListEndpointsAsync(scope, cancellationToken);
        return new ApiResult(200, new { webhooks = endpoints.OrderBy(e => e.CreatedAt).Select(WebhookEndpointView.From) });
    }

    public async Task<ApiResult> DeleteAsync(ApiCaller caller, string id, CancellationToken cancellationToken)
    {
        if (await FindAsync(caller, id, cancellationToken) is null)
        {
            return NotFound(id);
        }

        await store.DeleteEndpointAsync(id, cancellationToken);
        return new ApiResult(204, null);
    }

    /// <summary>
    /// <c>POST /api/webhooks/{id}/secret</c>: a new signing secret, shown once; the previous one signs beside it for
    /// <c>Webhooks:SecretOverlap</c>, so the receiver can switch without rejecting a delivery.
    /// </summary>
    public async Task<ApiResult> RotateSecretAsync(ApiCaller caller, string id, CancellationToken cancellationToken)
    {
        if (await FindAsync(caller, id, cancellationToken) is not { } endpoint)
        {
            return NotFound(id);
        }

        var now = time.GetUtcNow();
        var rotated = endpoint with { Secret = WebhookSigner.NewSecret(), PreviousSecret = endpoint.Secret, PreviousSecretExpiresAt = now + options.Value.SecretOverlap };
        await store.UpdateEndpointAsync(rotated, cancellationToken);
        return new ApiResult(200, WebhookEndpointView.From(rotated) with { Secret = rotated.Secret, PreviousSecretExpiresAt = rotated.PreviousSecretExpiresAt });
    }

    public async Task<ApiResult> DeliveriesAsync(ApiCaller caller, string id, CancellationToken cancellationToken)
    {
        if (await FindAsync(caller, id, cancellationToken) is null)
        {
            return NotFound(id);
        }

        var deliveries = await store.ListDeliveriesAsync(id, DeliveryPage, cancellationToken);
        return new ApiResult(200, new { deliveries = deliveries.Select(WebhookDeliveryView.From) });
    }

    /// <summary>Sends a delivery again with a fresh attempt budget, whatever its state; receivers dedupe on its unchanged <c>webhook-id</c>.</summary>
    public async Task<ApiResult> ReplayAsync(ApiCaller caller, string deliveryId, CancellationToken cancellationToken)
    {
        if (!DeliveryIds.TryParse(deliveryId, out var endpointId, out var eventId)
            || await FindAsync(caller, endpointId, cancellationToken) is null
            || await store.GetDeliveryAsync(endpointId, eventId, cancellationToken) is not { } delivery)
        {
            return Problems.NotFound($"Delivery {deliveryId} does not exist.");
        }

        if (await dispatcher.ReplayAsync(delivery, cancellationToken) is not { } replayed)
        {
            return Problems.Conflict("The delivery is being attempted right now; try again in a moment.");
        }

        try
        {
            await signal.SignalDeliveryAsync(replayed.Id, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The replay is saved as due now: the sweeper attempts it on its next pass.
        }

        return new ApiResult(202, WebhookDeliveryView.From(replayed));
    }

    private async Task<WebhookEndpoint?> FindAsync(ApiCaller caller, string id, CancellationToken cancellationToken) =>
        DeliveryIds.IsEndpointId(id) && await store.GetEndpointAsync(id, cancellationToken) is { } endpoint && caller.CanSee(endpoint.OrganizationId) ? endpoint : null;

    private static ApiResult NotFound(string id) => Problems.NotFound($"Webhook {id} does not exist.");
}
