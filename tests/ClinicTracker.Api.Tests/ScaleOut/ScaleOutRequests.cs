using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.ScaleOut;

/// <summary>
/// The tests that run API processes of their own run alone, after the rest of the suite: each loads both
/// cores with hundreds of concurrent requests, and a kill -9 must not land while other tests share the machine's time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ApiProcessCollection
{
    public const string Name = "API processes";
}

/// <summary>What one request got back: its status, body, Location and whether it was a replay, or that it was cut.</summary>
public sealed record Answer(string Instance, HttpStatusCode? Status, string Body, string? Location, bool Replayed, string? Error)
{
    public bool Cut => Status is null;

    public bool IsServerError => Status is { } status && (int)status >= 500;

    public string? Code => Status is null || Body.Length == 0 || Body[0] != '{' ? null : JsonNode.Parse(Body)?["code"]?.GetValue<string>();

    /// <summary>The id at the end of the Location of a 201.</summary>
    public Guid CreatedId => Location is { } location
        ? Guid.Parse(location[(location.LastIndexOf('/') + 1)..])
        : throw new InvalidOperationException($"No Location: {this}");

    /// <summary>The body of a 200 or 201 as JSON; anything else fails, naming the answer.</summary>
    public JsonNode Json()
    {
        Assert.True(Status is HttpStatusCode.OK or HttpStatusCode.Created, $"Expected 200 or 201, got {this}");
        return JsonNode.Parse(Body)!;
    }

    /// <summary>The items of a page.</summary>
    public JsonArray Items() => Json()["items"]!.AsArray();

    public override string ToString() => Cut
        ? $"{Instance}: cut ({Error})"
        : $"{Instance}: {(int)Status!.Value}{(Replayed ? " (replayed)" : "")} {Body}";
}

/// <summary>Sends the requests of the scale-out tests and keeps every answer, whatever it was.</summary>
public static class ScaleOutRequests
{
    public static async Task<Answer> SendAsync(string instance, HttpClient client, HttpMethod method, string path, object? body = null,
        string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        try
        {
            using var response = await client.SendAsync(request);
            return new Answer(instance, response.StatusCode, await response.Content.ReadAsStringAsync(),
                response.Headers.Location?.ToString(), response.Headers.Contains("Idempotent-Replayed"), null);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
        {
            // The connection was reset (the process was killed) or the answer never came.
            return new Answer(instance, null, "", null, false, e.GetType().Name);
        }
    }

    public static Task<Answer> PostAsync(string instance, HttpClient client, string path, object body, string? idempotencyKey = null) =>
        SendAsync(instance, client, HttpMethod.Post, path, body, idempotencyKey);

    public static Task<Answer> GetAsync(string instance, HttpClient client, string path) =>
        SendAsync(instance, client, HttpMethod.Get, path);

    /// <summary>
    /// A keyed POST, retried with the same key while it is answered 409 <c>session.concurrent-change</c> (another
    /// dose or transition on the session saved first; the key was released, api.md). Returns the last answer.
    /// </summary>
    public static async Task<Answer> PostUntilNotConcurrentAsync(string instance, HttpClient client, string path, object body, string key)
    {
        for (var attempt = 1; ; attempt++)
        {
            var answer = await PostAsync(instance, client, path, body, key);
            if (answer.Code != "session.concurrent-change" || attempt == 40)
            {
                return answer;
            }

            await Task.Delay(Random.Shared.Next(5, 50));
        }
    }

    /// <summary>The admin's chain check, as <c>GET /api/v1/audit/verify</c> answers it on this instance.</summary>
    public static async Task AssertAuditIntactAsync(ApiProcess instance)
    {
        using var admin = instance.ClientFor("scale.admin", "admin");
        var answer = await GetAsync(instance.Name, admin, "/api/v1/audit/verify");
        Assert.True(answer.Status == HttpStatusCode.OK && JsonNode.Parse(answer.Body)!["intact"]!.GetValue<bool>(),
            $"The audit chain is not intact on {instance.Name}: {answer}");
    }

    /// <summary>Fails naming every 5xx answer, with the processes' output (the exception and its trace id are logged there).</summary>
    public static void AssertNoServerErrors(IEnumerable<Answer> answers, params ApiProcess[] instances)
    {
        var errors = answers.Where(a => a.IsServerError).ToList();
        Assert.True(errors.Count == 0,
            $"{errors.Count} answers were 5xx:\n{string.Join('\n', errors.Take(10))}\n{string.Join('\n', instances.Select(i => i.Output))}");
    }

    /// <summary>Runs a test body; a failure message gets the output of the processes (read when it fails) appended.</summary>
    public static async Task WithOutputOnFailure(Func<Task> test, IEnumerable<ApiProcess> instances)
    {
        try
        {
            await test();
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException || !e.Message.Contains("--- API process", StringComparison.Ordinal))
        {
            throw new Xunit.Sdk.XunitException($"{e.GetType().Name}: {e.Message}\n{string.Join('\n', instances.Select(i => i.Output))}", e);
        }
    }
}
