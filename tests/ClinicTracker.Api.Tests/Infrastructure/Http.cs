using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ClinicTracker.Api.Tests.Infrastructure;

/// <summary>Small helpers for reading responses as JSON without sharing the API's contract types.</summary>
public static class Http
{
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<JsonObject> ReadObject(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonNode>())!.AsObject();

    /// <summary>Asserts an RFC 9457 problem with the given status and returns its body.</summary>
    public static async Task<JsonObject> AssertProblem(this HttpResponseMessage response, HttpStatusCode status, string? code = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!.AsObject();
        Assert.Equal((int)status, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(problem["type"]?.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(problem["title"]?.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(problem["detail"]?.GetValue<string>()));
        if (code is not null)
        {
            Assert.Equal(code, problem["code"]?.GetValue<string>());
        }

        return problem;
    }

    /// <summary>Asserts a 400 validation problem whose errors name the field.</summary>
    public static async Task<JsonObject> AssertValidationError(this HttpResponseMessage response, string field)
    {
        var problem = await response.AssertProblem(HttpStatusCode.BadRequest, "validation");
        var errors = problem["errors"]!.AsObject();
        Assert.True(errors.ContainsKey(field), $"Expected an error for '{field}', got: {errors.ToJsonString()}");
        return problem;
    }

    public static async Task<HttpResponseMessage> EnsureStatus(this Task<HttpResponseMessage> call, HttpStatusCode status)
    {
        var response = await call;
        if (response.StatusCode != status)
        {
            Assert.Fail($"Expected {(int)status}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return response;
    }

    public static async Task<HttpResponseMessage> EnsureSuccess(this HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"Expected success, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response;
    }

    public static async Task<JsonObject> EnsureSuccessObject(this HttpResponseMessage response) =>
        await (await response.EnsureSuccess()).ReadObject();

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..12]}";

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
