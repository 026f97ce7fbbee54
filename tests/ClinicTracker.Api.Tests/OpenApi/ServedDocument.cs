using System.Text.Json.Nodes;

namespace ClinicTracker.Api.Tests.OpenApi;

/// <summary>The served OpenAPI document, walked operation by operation for the tests that check every one of them.</summary>
internal static class ServedDocument
{
    public static async Task<JsonNode> LoadAsync(HttpClient client) =>
        JsonNode.Parse(await client.GetStringAsync(Infrastructure.ResponseContract.DocumentPath))!;

    /// <summary>Every operation with its name as a message shows it: "GET /api/v1/patients".</summary>
    public static IEnumerable<(string Name, JsonNode Operation)> Operations(JsonNode document) =>
        document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Select(method => ($"{method.Key.ToUpperInvariant()} {path.Key}", method.Value!)));

    /// <summary>Every parameter of every operation: "GET /api/v1/patients search".</summary>
    public static IEnumerable<(string Name, JsonNode Parameter)> Parameters(JsonNode document) =>
        Operations(document).SelectMany(o => (o.Operation["parameters"] as JsonArray ?? [])
            .Select(p => ($"{o.Name} {p!["name"]}", p!)));
}
