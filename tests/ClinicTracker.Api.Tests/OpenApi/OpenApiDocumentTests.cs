using System.Text.Json.Nodes;
using ClinicTracker.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;

namespace ClinicTracker.Api.Tests.OpenApi;

public sealed class OpenApiDocumentTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    [Fact]
    public async Task Document_ListsEveryMappedEndpoint_WithOperationIdSummaryAndProblems()
    {
        var document = JsonNode.Parse(await factory.CreateClient().GetStringAsync("/swagger/v1/swagger.json"))!;
        var paths = document["paths"]!.AsObject();
        var mapped = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>() is not null)
            // FHIR R4 is described by its own CapabilityStatement (GET /fhir/r4/metadata, docs/fhir.md), not by this document.
            .Where(e => !e.RoutePattern.RawText!.StartsWith("/fhir/r4", StringComparison.Ordinal))
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods
                .Select(m => (Path: "/" + e.RoutePattern.RawText!.TrimStart('/'), Method: m.ToLowerInvariant())))
            .ToList();

        Assert.NotEmpty(mapped);
        var operationIds = new HashSet<string>();
        foreach (var (rawPath, method) in mapped)
        {
            // Route constraints ({id:guid}) do not appear in OpenAPI paths.
            var path = System.Text.RegularExpressions.Regex.Replace(rawPath, "{([^:}]+)(:[^}]+)?}", "{$1}");
            var operation = paths[path]?[method];
            Assert.True(operation is not null, $"{method.ToUpperInvariant()} {path} is mapped but not in the OpenAPI document.");
            var operationId = operation!["operationId"]?.GetValue<string>();
            Assert.False(string.IsNullOrEmpty(operationId), $"{method} {path} has no operationId.");
            Assert.True(operationIds.Add(operationId!), $"operationId {operationId} is used twice.");
            Assert.False(string.IsNullOrEmpty(operation["summary"]?.GetValue<string>()), $"{operationId} has no summary.");
            if (!path.StartsWith("/health", StringComparison.Ordinal))
            {
                Assert.NotNull(operation["security"]);
                Assert.NotNull(operation["responses"]!["401"]?["content"]?["application/problem+json"]);
                Assert.NotNull(operation["responses"]!["403"]?["content"]?["application/problem+json"]);
            }
        }
    }

    [Fact]
    public async Task EveryProblemResponse_NamesItsCodes_InTheSchemaAndTheOperationsDescription()
    {
        var document = await ServedDocument.LoadAsync(factory.CreateClient());

        var problems = 0;
        foreach (var (name, operation) in ServedDocument.Operations(document))
        {
            foreach (var (status, response) in operation["responses"]!.AsObject())
            {
                if (response!["content"]?["application/problem+json"]?["schema"] is not { } schema)
                {
                    continue;
                }

                problems++;
                // allOf [the shared problem schema, {code: {enum}}]: a typed client sees the codes as literals.
                var codes = schema["allOf"]?[1]?["properties"]?["code"]?["enum"]?.AsArray().Select(c => c!.GetValue<string>()).ToList();
                Assert.True(codes is { Count: > 0 }, $"{name} → {status} does not say which codes it can carry.");
                var description = operation["description"]!.GetValue<string>();
                Assert.Contains($"- {status}: " + string.Join(", ", codes!.Select(c => $"`{c}`")), description, StringComparison.Ordinal);
            }
        }

        Assert.True(problems > 300, $"only {problems} problem responses");
        var dose = document["paths"]!["/api/v1/sessions/{sessionId}/doses"]!["post"]!;
        Assert.Equal(["bp.gate", "dose.hard-limit", "dose.invalid-replacement", "dose.plan-mismatch", "dose.soft-limit", "dose.time-inconsistent", "idempotency.key-reused",
            "stock.lot-mismatch", "stock.lot-required", "stock.unknown-lot"],
            dose["responses"]!["422"]!["content"]!["application/problem+json"]!["schema"]!["allOf"]![1]!["properties"]!["code"]!["enum"]!.AsArray().Select(c => c!.GetValue<string>()));
    }

    [Fact]
    public async Task Document_LeavesTheFhirEndpointToItsCapabilityStatement_AndSaysWhereItIs()
    {
        var document = JsonNode.Parse(await factory.CreateClient().GetStringAsync("/swagger/v1/swagger.json"))!;

        Assert.DoesNotContain(document["paths"]!.AsObject(), p => p.Key.StartsWith("/fhir", StringComparison.Ordinal));
        Assert.Contains("/fhir/r4/metadata", document["info"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Document_DescribesContractsWithKebabEnumsAndXmlDocs()
    {
        var document = JsonNode.Parse(await factory.CreateClient().GetStringAsync("/swagger/v1/swagger.json"))!;
        var schemas = document["components"]!["schemas"]!;

        var sex = schemas["Sex"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>());
        Assert.Equal(["female", "male", "other", "unknown"], sex);
        Assert.Equal(["front-desk", "nurse", "prescriber", "admin", "integrator"],
            schemas["StaffRole"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Contains("medical record number", schemas["PatientRequest"]!["properties"]!["mrn"]!["description"]!.GetValue<string>());
        Assert.Equal("bearer", document["components"]!["securitySchemes"]!["Bearer"]!["scheme"]!.GetValue<string>());
    }

    [Fact]
    public async Task RouteTemplates_HaveNoTrailingSlash()
    {
        // Templates are what the audit trail and the request log record, and the document's paths: "/api/v1/patients", never ".../".
        var templates = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern.RawText!).ToList();
        var paths = JsonNode.Parse(await factory.CreateClient().GetStringAsync("/swagger/v1/swagger.json"))!["paths"]!.AsObject().Select(p => p.Key);

        Assert.NotEmpty(templates);
        Assert.DoesNotContain(templates, t => t.Length > 1 && t.EndsWith('/'));
        Assert.DoesNotContain(paths, p => p.EndsWith('/'));
    }
}
