using System.Text.Json;
using FunctionsSync.Core.Access;
using FunctionsSync.Core.Api;
using FunctionsSync.Core.Outbound;
using Microsoft.Extensions.Options;

namespace FunctionsSync.Core.Webhooks;

/// <summary>The <c>/api/webhooks</c> routes.</summary>
public sealed class WebhooksApi(IWebhookStore store, WebhookDispatcher dispatcher, IWebhookSignal signal, WebhookTargets targets, IOptions<WebhookOptions> options, TimeProvider time)
{
    private const int DeliveryPage = 100;

    private static List<string> Events(IEnumerable<string?>? events) => events?.Select(e => e?.Trim() ?? "").Distinct().ToList() ?? [];

    /// <summary>The rules an endpoint's fields follow, at creation and at every change.</summary>
    private void CheckFields(IReadOnlyList<string> events, string? targetUrl, string? description, Dictionary<string, string[]> errors)
    {
        if (events.Count == 0 || events.Any(e => !WebhookEventTypes.All.Contains(e)))
        {
            errors["events"] = [$"One or more of: {string.Join(", ", WebhookEventTypes.All)}."];
        }

        if (targets.Policy.Check(targetUrl) is { } urlProblem)
        {
            errors["targetUrl"] = [urlProblem];
        }

        if (description?.Length > 500)
        {
            errors["description"] = ["At most 500 characters."];
        }
    }

    public async Task<ApiResult<WebhookEndpointView>> CreateAsync(ApiCaller caller, string? body, CancellationToken cancellationToken)
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

        var events = Events(request.Events);
        CheckFields(events, request.TargetUrl, request.Description, errors);
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
        return ApiResult.Created(WebhookEndpointView.From(endpoint) with { Secret = endpoint.Secret }, $"/api/webhooks/{endpoint.Id}");
    }

    public async Task<ApiResult<WebhookListView>> ListAsync(ApiCaller caller, string? organizationId, CancellationToken cancellationToken)
    {
        if (!caller.TryScope(organizationId, out var scope))
        {
            return ApiResult.Ok(new WebhookListView([]));
        }

        var endpoints = await store.ListEndpointsAsync(scope, cancellationToken);
        return ApiResult.Ok(new WebhookListView([.. endpoints.OrderBy(e => e.CreatedAt).Select(WebhookEndpointView.From)]));
    }

    public async Task<ApiResult<WebhookEndpointView>> GetAsync(ApiCaller caller, string id, CancellationToken cancellationToken) =>
        await FindAsync(caller, id, cancellationToken) is { } endpoint ? ApiResult.Ok(WebhookEndpointView.From(endpoint)) : NotFound(id);

    /// <summary>
    /// <c>PATCH /api/webhooks/{id}</c>: changes the fields the body names (<c>events</c>, <c>targetUrl</c>,
    /// <c>description</c>, <c>enabled</c>) under the rules of creation. Enabling an endpoint that the failure policy
    /// disabled starts its failure window afresh; deliveries already given up stay so (replay them).
    /// </summary>
    public async Task<ApiResult<WebhookEndpointView>> PatchAsync(ApiCaller caller, string id, string? body, CancellationToken cancellationToken)
    {
        if (await FindAsync(caller, id, cancellationToken) is not { } endpoint)
        {
            return NotFound(id);
        }

        if (!ApiJson.TryRead<PatchWebhookRequest>(body, out var request, out var problem))
        {
            return problem;
        }

        var events = request.Events is null ? endpoint.Events : Events(request.Events);
        var errors = new Dictionary<string, string[]>();
        CheckFields(events, request.TargetUrl ?? endpoint.TargetUrl, request.Description, errors);
        if (errors.Count > 0)
        {
            return Problems.BadRequest("The change is not valid.", errors);
        }

        var now = time.GetUtcNow();
        // Applied to the endpoint as stored when written: a rotation or another PATCH landing meanwhile is kept.
        var changed = await store.UpdateEndpointAsync(endpoint.Id, current =>
        {
            var next = current with
            {
                Events = request.Events is null ? current.Events : events,
                TargetUrl = request.TargetUrl ?? current.TargetUrl,
                Description = request.Description ?? current.Description,
            };
            return request.Enabled switch
            {
                true when current.DisabledAt is not null => next with { DisabledAt = null, DisabledReason = null, FailingSince = null },
                false when current.DisabledAt is null => next with { DisabledAt = now, DisabledReason = "Disabled by an operator." },
                _ => next,
            };
        }, cancellationToken);
        return changed is null ? NotFound(id) : ApiResult.Ok(WebhookEndpointView.From(changed));
    }

    public async Task<ApiResult<NoBody>> DeleteAsync(ApiCaller caller, string id, CancellationToken cancellationToken)
    {
        if (await FindAsync(caller, id, cancellationToken) is null)
        {
            return NotFound(id);
        }

        await store.DeleteEndpointAsync(id, cancellationToken);
        return ApiResult.NoContent;
    }

    /// <summary>
    /// <c>POST /api/webhooks/{id}/secret</c>: a new signing secret, shown once; the previous one signs beside it for
    /// <c>Webhooks:SecretOverlap</c>, so the receiver can switch without rejecting a delivery.
    /// </summary>
    public async Task<ApiResult<WebhookEndpointView>> RotateSecretAsync(ApiCaller caller, string id, CancellationToken cancellationToken)
    {
        if (await FindAsync(caller, id, cancellationToken) is not { } endpoint)
        {
            return NotFound(id);
        }

        var now = time.GetUtcNow();
        var secret = WebhookSigner.NewSecret();
        // On the endpoint as stored when written: racing rotations each make the secret current in turn, the one
        // before each stays valid for the overlap, and the last written signs from then on.
        var rotated = await store.UpdateEndpointAsync(
            endpoint.Id, current => current with { Secret = secret, PreviousSecret = current.Secret, PreviousSecretExpiresAt = now + options.Value.SecretOverlap }, cancellationToken);
        return rotated is null
            ? NotFound(id)
            : ApiResult.Ok(WebhookEndpointView.From(rotated) with { Secret = rotated.Secret, PreviousSecretExpiresAt = rotated.PreviousSecretExpiresAt });
    }

    public async Task<ApiResult<DeliveryListView>> DeliveriesAsync(ApiCaller caller, string id, CancellationToken cancellationToken)
    {
        if (await FindAsync(caller, id, cancellationToken) is null)
        {
            return NotFound(id);
        }

        var deliveries = await store.ListDeliveriesAsync(id, DeliveryPage, cancellationToken);
        return ApiResult.Ok(new DeliveryListView([.. deliveries.Select(WebhookDeliveryView.From)]));
    }

    /// <summary>One delivery with the payload it sends (the list leaves payloads out): what a receiver was, or will be, sent.</summary>
    public async Task<ApiResult<WebhookDeliveryDetail>> DeliveryAsync(ApiCaller caller, string deliveryId, CancellationToken cancellationToken) =>
        DeliveryIds.TryParse(deliveryId, out var endpointId, out var eventId)
            && await FindAsync(caller, endpointId, cancellationToken) is not null
            && await store.GetDeliveryAsync(endpointId, eventId, cancellationToken) is { } delivery
            ? ApiResult.Ok(new WebhookDeliveryDetail(WebhookDeliveryView.From(delivery), JsonDocument.Parse(delivery.Payload).RootElement.Clone()))
            : Problems.NotFound($"Delivery {deliveryId} does not exist.");

    /// <summary>Sends a delivery again with a fresh attempt budget, whatever its state; receivers dedupe on its unchanged <c>webhook-id</c>.</summary>
    public async Task<ApiResult<WebhookDeliveryView>> ReplayAsync(ApiCaller caller, string deliveryId, CancellationToken cancellationToken)
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

        return ApiResult.Accepted(WebhookDeliveryView.From(replayed));
    }

    private async Task<WebhookEndpoint?> FindAsync(ApiCaller caller, string id, CancellationToken cancellationToken) =>
        DeliveryIds.IsEndpointId(id) && await store.GetEndpointAsync(id, cancellationToken) is { } endpoint && caller.CanSee(endpoint.OrganizationId) ? endpoint : null;

    private static ApiResult NotFound(string id) => Problems.NotFound($"Webhook {id} does not exist.");
}

/// <summary><c>GET /api/webhooks/deliveries/{id}</c>: the delivery and its payload, as the receiver gets it.</summary>
public sealed record WebhookDeliveryDetail(WebhookDeliveryView Delivery, JsonElement Payload);
