using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace ClinicTracker.Api.Tests.Infrastructure;

/// <summary>
/// The OpenAPI document the API serves, used to check real responses: a JSON response must have a status
/// and a media type that its operation (method + route template) declares, and a body that matches the
/// declared schema. The document is OpenAPI 3.1, whose schemas are JSON Schema 2020-12, so they are
/// evaluated as they are, <c>$ref</c>s into <c>components</c> included.
/// </summary>
public sealed class ResponseContract
{
    public const string DocumentPath = "/swagger/v1/swagger.json";

    // One parse per distinct document: factories with the same settings serve the same text.
    private static readonly ConcurrentDictionary<string, ResponseContract> ByDocument = new();

    // A flag answer is much cheaper; the detailed list is worked out only for a body that fails.
    private static readonly EvaluationOptions Quick = new() { OutputFormat = OutputFormat.Flag, RequireFormatValidation = true };
    private static readonly EvaluationOptions Detailed = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    private readonly Uri documentUri = new($"https://clinictracker.test/openapi/{Guid.NewGuid():N}.json");
    // JSON Schema 2020-12 plus the OpenAPI 3.1 annotations (example, discriminator, xml, externalDocs), which
    // the base dialect would refuse as unknown keywords.
    private readonly BuildOptions build = new()
    {
        SchemaRegistry = new SchemaRegistry(),
        Dialect = Dialect.Draft202012.With([], allowUnknownKeywords: true),
    };
    private readonly IReadOnlyList<Operation> operations;
    private readonly Dictionary<JsonNode, JsonSchema> schemas = new(ReferenceEqualityComparer.Instance);

    private ResponseContract(string document)
    {
        build.SchemaRegistry.Register(documentUri, new JsonElementBaseDocument(JsonDocument.Parse(document).RootElement.Clone(), documentUri));
        var root = JsonNode.Parse(document)!.AsObject();
        Version = root["openapi"]!.GetValue<string>();
        operations = [.. ReadOperations(root["paths"]!.AsObject())
            // A literal segment wins over a parameter, as in routing (/audit/verify before /audit/{id}).
            .OrderByDescending(o => o.LiteralSegments)];
        // Built here, on one thread: tests check responses in parallel, and building registers into the registry.
        foreach (var media in operations.SelectMany(o => o.Responses.Select(r => r.Value?["content"] as JsonObject))
            .SelectMany(c => c ?? []).Select(c => c.Value?["schema"]).OfType<JsonNode>())
        {
            schemas[media] = Build(media);
        }
    }

    /// <summary>The <c>openapi</c> version of the document.</summary>
    public string Version { get; }

    /// <summary>Reads the document the client's server serves (once per distinct document).</summary>
    public static async Task<ResponseContract> LoadAsync(HttpClient client) => Parse(await client.GetStringAsync(DocumentPath));

    public static ResponseContract Parse(string document) => ByDocument.GetOrAdd(document, text => new ResponseContract(text));

    /// <summary>What is wrong with this response by the document; empty when it matches or is not an operation of the document.</summary>
    public IReadOnlyList<string> Check(string method, string path, int status, string mediaType, string body)
    {
        var operation = operations.FirstOrDefault(o => o.Method.Equals(method, StringComparison.OrdinalIgnoreCase) && o.Path.IsMatch(path));
        if (operation is null)
        {
            // Unknown routes, a method the path does not have, Swagger itself: no operation declares them.
            return [];
        }

        var name = $"{method.ToUpperInvariant()} {operation.Template} → {status}";
        var responses = operation.Responses;
        var response = responses[status.ToString(CultureInfo.InvariantCulture)] ?? responses[$"{status / 100}XX"] ?? responses["default"];
        if (response is null)
        {
            return [$"{name}: the document declares no {status} response for this operation (declared: {string.Join(", ", responses.Select(r => r.Key))})."];
        }

        var content = response["content"] as JsonObject;
        if (content?[mediaType] is not JsonObject media)
        {
            return [$"{name}: the document declares no {mediaType} body for it (declared: {string.Join(", ", content?.Select(c => c.Key) ?? ["none"])})."];
        }

        if (media["schema"] is not { } declared)
        {
            return [];
        }

        var schema = schemas[declared];
        using var json = JsonDocument.Parse(body);
        if (schema.Evaluate(json.RootElement, Quick).IsValid)
        {
            return [];
        }

        var result = schema.Evaluate(json.RootElement, Detailed);
        return [$"{name}: the body does not match its schema:\n  " + string.Join("\n  ", Describe(result).Distinct().Take(20)) + "\n  body: " + Shorten(body)];
    }

    /// <summary>The declared schema with its references made absolute, so they resolve into the document.</summary>
    private JsonSchema Build(JsonNode declared)
    {
        var copy = declared.DeepClone();
        Absolutize(copy);
        using var element = JsonDocument.Parse(copy.ToJsonString());
        return JsonSchema.Build(element.RootElement.Clone(), build);
    }

    private void Absolutize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["$ref"] is JsonValue reference && reference.GetValue<string>() is { } target && target.StartsWith('#'))
                {
                    obj["$ref"] = documentUri + target;
                }

                foreach (var (_, child) in obj.ToList())
                {
                    Absolutize(child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Absolutize(child);
                }

                break;
        }
    }

    private static IEnumerable<string> Describe(EvaluationResults result)
    {
        foreach (var detail in (IEnumerable<EvaluationResults>?)result.Details ?? [])
        {
            foreach (var (keyword, message) in detail.Errors ?? new Dictionary<string, string>())
            {
                yield return $"at '{detail.InstanceLocation}' ({keyword} of {detail.EvaluationPath}): {message}";
            }
        }

        foreach (var (keyword, message) in result.Errors ?? new Dictionary<string, string>())
        {
            yield return $"at '{result.InstanceLocation}' ({keyword}): {message}";
        }
    }

    private static string Shorten(string body) => body.Length <= 600 ? body : body[..600] + "…";

    private static IEnumerable<Operation> ReadOperations(JsonObject paths)
    {
        foreach (var (template, item) in paths)
        {
            foreach (var method in Methods)
            {
                if (item![method] is not JsonObject operation)
                {
                    continue;
                }

                var parameters = (item["parameters"] as JsonArray ?? []).Concat(operation["parameters"] as JsonArray ?? [])
                    .Where(p => p?["in"]?.GetValue<string>() == "path")
                    .ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!["schema"]?["format"]?.GetValue<string>());
                var segments = template.Trim('/').Split('/');
                var pattern = "^/" + string.Join("/", segments.Select(s => s.StartsWith('{')
                    ? parameters.GetValueOrDefault(s.Trim('{', '}')) == "uuid" ? "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}" : "[^/]+"
                    : Regex.Escape(s))) + "/?$";
                yield return new Operation(method, template, new Regex(pattern, RegexOptions.CultureInvariant),
                    segments.Count(s => !s.StartsWith('{')), operation["responses"]!.AsObject());
            }
        }
    }

    private sealed record Operation(string Method, string Template, Regex Path, int LiteralSegments, JsonObject Responses);
}

/// <summary>
/// Installed on every client of <see cref="ClinicApiFactory"/>: each response with a JSON body is checked
/// against the served document, and a mismatch fails the test that made the call.
/// </summary>
public sealed class ResponseContractHandler(Func<Task<ResponseContract>> contract) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType is "application/json" or "application/problem+json" && request.RequestUri is { } uri)
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var problems = (await contract()).Check(request.Method.Method, uri.AbsolutePath, (int)response.StatusCode, mediaType, body);
            if (problems.Count > 0)
            {
                Assert.Fail("The response does not match the OpenAPI document: " + string.Join("\n", problems));
            }
        }

        return response;
    }
}
