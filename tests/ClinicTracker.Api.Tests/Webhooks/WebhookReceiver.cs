using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;

namespace ClinicTracker.Api.Tests.Webhooks;

/// <summary>One request as the receiver saw it.</summary>
/// <param name="WebhookId">The webhook-id header.</param>
/// <param name="Timestamp">The webhook-timestamp header.</param>
/// <param name="Signature">The webhook-signature header.</param>
/// <param name="Body">The raw body.</param>
/// <param name="VerifiedByLibrary">StandardWebhook.Verify accepted it (signature and timestamp tolerance).</param>
/// <param name="VerifiedBySpec">The spec's algorithm, computed here independently of the library, gives the same signature.</param>
/// <param name="Answered">The status the receiver answered.</param>
public sealed record ReceivedWebhook(
    string WebhookId, string Timestamp, string Signature, string Body, bool VerifiedByLibrary, bool VerifiedBySpec, int Answered)
{
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();

    public JsonObject Data => Json["data"]!.AsObject();
}

/// <summary>
/// An integrator's receiver on loopback (Kestrel on 127.0.0.1, a free port): verifies every request's Standard
/// Webhooks signature with the subscription's secret, answers 500 to the first <see cref="FailFirst"/> arrivals of each
/// webhook-id (or to all while <see cref="AlwaysFail"/>), then 200; and processes each webhook-id once (de-duplication,
/// as the docs ask receivers to do).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<ReceivedWebhook> arrivals = new();
    private readonly ConcurrentDictionary<string, int> seen = new();
    private readonly ConcurrentDictionary<string, ReceivedWebhook> processed = new();

    private WebhookReceiver(WebApplication app) => this.app = app;

    /// <summary>The subscription's secret (set once the subscription exists).</summary>
    public string? Secret { get; set; }

    /// <summary>How many arrivals of each webhook-id get a 500 before it is accepted.</summary>
    public int FailFirst { get; set; }

    public bool AlwaysFail { get; set; }

    public string Url { get; private set; } = "";

    public int Port { get; private set; }

    /// <summary>Every request, in arrival order.</summary>
    public IReadOnlyList<ReceivedWebhook> Arrivals => [.. arrivals];

    /// <summary>The events the receiver processed: each webhook-id once.</summary>
    public IReadOnlyDictionary<string, ReceivedWebhook> Processed => processed;

    public IReadOnlyList<ReceivedWebhook> ArrivalsOf(Guid eventId) => [.. arrivals.Where(a => a.WebhookId == eventId.ToString())];

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", (Delegate)receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.Port = new Uri(address).Port;
        receiver.Url = $"http://127.0.0.1:{receiver.Port}/hook";
        return receiver;
    }

    private async Task<IResult> HandleAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var id = http.Request.Headers["webhook-id"].ToString();
        var timestamp = http.Request.Headers["webhook-timestamp"].ToString();
        var signature = http.Request.Headers["webhook-signature"].ToString();
        var byLibrary = false;
        try
        {
            new StandardWebhook(Secret!).Verify(body, http.Request.Headers);
            byLibrary = true;
        }
        catch (Exception e) when (e is StandardWebhooks.Diagnostics.WebhookVerificationException or ArgumentException or FormatException)
        {
        }

        var bySpec = signature == ExpectedSignature(Secret!, id, timestamp, body);
        var count = seen.AddOrUpdate(id, 1, (_, n) => n + 1);
        var status = AlwaysFail || count <= FailFirst || !byLibrary ? StatusCodes.Status500InternalServerError : StatusCodes.Status200OK;
        var received = new ReceivedWebhook(id, timestamp, signature, body, byLibrary, bySpec, status);
        arrivals.Enqueue(received);
        if (status == StatusCodes.Status200OK)
        {
            // De-duplication by webhook-id: a second delivery of a processed event is acknowledged and ignored.
            processed.TryAdd(id, received);
        }

        return Results.StatusCode(status);
    }

    /// <summary>
    /// The Standard Webhooks signature, written out from the specification: "v1," + base64(HMAC-SHA256(key, "id.timestamp.body")),
    /// the key being the base64 after "whsec_".
    /// </summary>
    public static string ExpectedSignature(string secret, string id, string timestamp, string body)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}"));
        return "v1," + Convert.ToBase64String(mac);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
