using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClinicTracker.Api.Common;

namespace ClinicTracker.Api.Demo;

/// <summary>
/// The API as the demo seeder calls it: one HTTP client per demo user, each with its own user-jwts token, and the
/// API's own request records written in its wire format (<see cref="JsonSetup"/>). Every create carries an
/// Idempotency-Key like a careful front-end's. A refusal stops the seeding with the route, status and problem code
/// only: no request or response body reaches the message (they carry patient data).
/// </summary>
public sealed class DemoApi(Func<string, HttpClient> clientFor)
{
    private static readonly JsonSerializerOptions Json = CreateJsonOptions();

    private readonly Dictionary<string, HttpClient> clients = [];

    /// <summary>Requests sent so far (for the summary line).</summary>
    public int Requests { get; private set; }

    /// <summary>A JSON POST as <paramref name="userName"/>; returns the response body (null when it has none).</summary>
    public async Task<JsonObject?> PostAsync(string userName, string path, object? body, HttpStatusCode expected = HttpStatusCode.Created,
        string? ifMatch = null, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = body is null ? null : JsonContent.Create(body, body.GetType(), options: Json),
        };
        request.Headers.Add(Idempotency.Header, Guid.NewGuid().ToString("N"));
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(ifMatch));
        }

        return await SendAsync(userName, request, expected, ct);
    }

    /// <summary>A JSON PATCH as <paramref name="userName"/>.</summary>
    public async Task<JsonObject?> PatchAsync(string userName, string path, object body, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, path) { Content = JsonContent.Create(body, body.GetType(), options: Json) };
        return await SendAsync(userName, request, HttpStatusCode.OK, ct);
    }

    /// <summary>A GET as <paramref name="userName"/>, with the response's ETag.</summary>
    public async Task<(JsonObject Body, string? ETag)> GetAsync(string userName, string path, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        var client = Client(userName);
        Requests++;
        using var response = await client.SendAsync(request, ct);
        await EnsureAsync(response, HttpStatusCode.OK, request, ct);
        return ((await response.Content.ReadFromJsonAsync<JsonObject>(ct))!, response.Headers.ETag?.ToString());
    }

    private async Task<JsonObject?> SendAsync(string userName, HttpRequestMessage request, HttpStatusCode expected, CancellationToken ct)
    {
        Requests++;
        using var response = await Client(userName).SendAsync(request, ct);
        await EnsureAsync(response, expected, request, ct);
        return response.Content.Headers.ContentLength is 0 ? null : await response.Content.ReadFromJsonAsync<JsonObject>(ct);
    }

    private HttpClient Client(string userName)
    {
        if (!clients.TryGetValue(userName, out var client))
        {
            client = clientFor(userName);
            clients[userName] = client;
        }

        return client;
    }

    private static async Task EnsureAsync(HttpResponseMessage response, HttpStatusCode expected, HttpRequestMessage request, CancellationToken ct)
    {
        if (response.StatusCode == expected)
        {
            return;
        }

        // The problem's code and title name the rule; its detail may quote the record, so it stays out.
        string? code = null;
        string? title = null;
        if (response.Content.Headers.ContentType?.MediaType == "application/problem+json" &&
            await response.Content.ReadFromJsonAsync<JsonObject>(ct) is { } problem)
        {
            code = problem["code"]?.ToString();
            title = problem["title"]?.ToString();
        }

        throw new InvalidOperationException(
            $"Demo data: {request.Method} {request.RequestUri} answered {(int)response.StatusCode} (expected {(int)expected}), " +
            $"code {code ?? "-"}: {title ?? "-"}. Nothing after this step was created.");
    }

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions();
        JsonSetup.Configure(options);
        return options;
    }
}
