using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.OpenApi;

/// <summary>The response check that every HTTP test runs can fail: wrong types, undeclared nulls, statuses and media types.</summary>
public sealed class ResponseContractTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    private const string Health = """{"status":"healthy","pendingMigrations":[]}""";

    [Fact]
    public async Task MatchingResponse_Passes()
    {
        var contract = await factory.Contract();

        Assert.Empty(contract.Check("GET", "/health/ready", 200, "application/json", Health));
        // Paths the document does not describe are not its business (unknown routes, Swagger itself).
        Assert.Empty(contract.Check("GET", "/api/v1/nothing-here", 404, "application/problem+json", "{}"));
    }

    [Theory]
    [InlineData("""{"status":42,"pendingMigrations":[]}""", "/status")] // a number where a string is declared
    [InlineData("""{"status":null,"pendingMigrations":[]}""", "/status")] // null where it is not nullable
    [InlineData("""{"pendingMigrations":[]}""", "required")] // a required property missing
    [InlineData("""{"status":"healthy","pendingMigrations":[],"extra":1}""", "extra")] // a property the schema does not have
    public async Task BodyThatDoesNotMatchItsSchema_Fails(string body, string named)
    {
        var problems = (await factory.Contract()).Check("GET", "/health/ready", 200, "application/json", body);

        Assert.Contains(problems, p => p.Contains("does not match its schema", StringComparison.Ordinal) && p.Contains(named, StringComparison.Ordinal));
    }

    [Fact]
    public async Task NestedReferencedSchema_IsChecked()
    {
        var page = $$"""{"items":[{"id":"{{Guid.NewGuid()}}","userName":"u","displayName":"U","role":"surgeon","registrationNumber":null,"active":true,"createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z","version":1}],"nextCursor":null}""";

        var problems = (await factory.Contract()).Check("GET", "/api/v1/clinicians", 200, "application/json", page);

        // "surgeon" is not a StaffRole: found through Page → ClinicianResponse → StaffRole.
        Assert.Contains(problems, p => p.Contains("/items/0/role", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UndeclaredStatusOrMediaType_Fails()
    {
        var contract = await factory.Contract();

        Assert.Contains(contract.Check("GET", "/health/live", 418, "application/json", Health), p => p.Contains("declares no 418", StringComparison.Ordinal));
        Assert.Contains(contract.Check("GET", "/health/ready", 200, "application/problem+json", Health),
            p => p.Contains("no application/problem+json body", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RouteParameters_MatchOnlyTheirFormat()
    {
        var contract = await factory.Contract();

        // {id} is a uuid: a path with another segment there is no route of the document (routing answers 404 itself).
        Assert.Empty(contract.Check("GET", "/api/v1/patients/not-a-guid", 404, "application/problem+json", "{}"));
        Assert.NotEmpty(contract.Check("GET", $"/api/v1/patients/{Guid.NewGuid()}", 200, "application/json", "{}"));
    }

    [Fact]
    public void OpenApiAnnotations_AreAccepted_AndReferencesResolveIntoComponents()
    {
        var document = """
            {"openapi":"3.1.1","paths":{"/things/{id}":{"get":{
              "parameters":[{"name":"id","in":"path","required":true,"schema":{"type":"string","format":"uuid"}}],
              "responses":{"200":{"description":"OK","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Thing"}}}}}}}},
             "components":{"schemas":{"Thing":{"type":"object","required":["size"],"example":{"size":1},
               "properties":{"size":{"type":"integer","minimum":1}}}}}}
            """;
        var contract = ResponseContract.Parse(document);
        var path = $"/things/{Guid.NewGuid()}";

        Assert.Empty(contract.Check("GET", path, 200, "application/json", """{"size":2}"""));
        Assert.Contains(contract.Check("GET", path, 200, "application/json", """{"size":0}"""), p => p.Contains("/size", StringComparison.Ordinal));
    }
}
