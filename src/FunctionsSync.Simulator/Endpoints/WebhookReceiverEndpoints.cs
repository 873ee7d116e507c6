using System.Text.Json;
using FunctionsSync.Simulator.Data;
using FunctionsSync.Simulator.Webhooks;

namespace FunctionsSync.Simulator.Endpoints;

/// <summary>
/// A webhook receiver at <c>POST /mock/webhooks/{name}</c>. It fails a request carrying <c>x-fail: true</c>, a payload
/// whose <c>receipt</c> ends in 5, and its next N requests after <c>POST /mock/webhooks/{name}/fail {count}</c>;
/// <c>PUT .../secret {secret}</c> turns signature checks on; <c>POST .../delay {milliseconds}</c> makes it slow;
/// <c>GET</c> shows what it got.
/// </summary>
internal static class WebhookReceiverEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/mock/webhooks/{name}");
        group.MapPost("", async (HttpContext http, WebhookReceivers receivers, SimulatorState state, string name) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync(http.RequestAborted);
            var receiver = receivers.Get(name);
            using var arrived = receiver.Arrived();
            if (receiver.Delay > TimeSpan.Zero)
            {
                await Task.Delay(receiver.Delay, http.RequestAborted);
            }

            var headers = http.Request.Headers;
            var status = receiver.Receive(
                headers["webhook-id"].FirstOrDefault(),
                headers["webhook-timestamp"].FirstOrDefault(),
                headers["webhook-signature"].FirstOrDefault(),
                body,
                string.Equals(headers["x-fail"].FirstOrDefault(), "true", StringComparison.OrdinalIgnoreCase),
                ReceiptEndsInFive(body),
                state.Time.GetUtcNow());
            return Results.StatusCode(status);
        });
        group.MapPut("/secret", (WebhookReceivers receivers, string name, SecretRequest request) =>
        {
            receivers.Get(name).Secret = string.IsNullOrEmpty(request.Secret) ? null : request.Secret;
            return Results.NoContent();
        });
        group.MapPost("/fail", (WebhookReceivers receivers, string name, FailRequest request) =>
        {
            receivers.Get(name).FailNext(Math.Clamp(request.Count, 0, 1000));
            return Results.NoContent();
        });
        group.MapPost("/delay", (WebhookReceivers receivers, string name, DelayRequest request) =>
        {
            receivers.Get(name).Delay = TimeSpan.FromMilliseconds(Math.Clamp(request.Milliseconds, 0, 600_000));
            return Results.NoContent();
        });
        group.MapGet("", (WebhookReceivers receivers, string name) => Results.Ok(receivers.Get(name).Snapshot()));
    }

    /// <summary>A payload naming a receipt (anywhere in it) that ends in 5.</summary>
    private static bool ReceiptEndsInFive(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return Find(document.RootElement);
        }
        catch (JsonException)
        {
            return false;
        }

        static bool Find(JsonElement element) => element.ValueKind switch
        {
            JsonValueKind.Object => element.EnumerateObject().Any(p =>
                (p.Name == "receipt" && p.Value.ValueKind == JsonValueKind.String && p.Value.GetString()!.EndsWith('5')) || Find(p.Value)),
            JsonValueKind.Array => element.EnumerateArray().Any(Find),
            _ => false,
        };
    }

    internal sealed record SecretRequest(string? Secret);

    internal sealed record FailRequest(int Count);

    internal sealed record DelayRequest(int Milliseconds);
}
