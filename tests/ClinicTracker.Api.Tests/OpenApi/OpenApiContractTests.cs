using System.Text.Json.Nodes;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.OpenApi;

/// <summary>
/// The document tells the truth about what the API enforces and returns (issue 9, item 17). Real responses
/// are checked against it by every HTTP test (ResponseContract); these facts are checked here directly.
/// </summary>
public sealed class OpenApiContractTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    private async Task<JsonNode> Document() => JsonNode.Parse(await factory.CreateClient().GetStringAsync(ResponseContract.DocumentPath))!;

    private static JsonNode Schema(JsonNode document, string name) => document["components"]!["schemas"]![name]!;

    [Fact]
    public async Task Document_IsOpenApi31()
    {
        // 3.1 schemas are JSON Schema 2020-12: nullable references and the response check need nothing else.
        Assert.StartsWith("3.1.", (await Document())["openapi"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SessionResponse", "cancelledBy", "CancelledBy")]
    [InlineData("SessionResponse", "weightBasis", "WeightBasis")]
    [InlineData("SessionMonitoringResponse", "rems", "RemsMonitoringForm")]
    [InlineData("DueDateAdherenceResponse", "missedReason", "MissedReason")]
    [InlineData("InstrumentOutcomeResponse", "baseline", "OutcomePointResponse")]
    [InlineData("AuditVerification", "firstBroken", "AuditBreakResponse")]
    public async Task NullableReferences_AcceptNull(string schema, string property, string target)
    {
        var declared = Schema(await Document(), schema)["properties"]![property]!;

        var choices = declared["oneOf"]!.AsArray();
        Assert.Equal(2, choices.Count);
        Assert.Contains(choices, c => c!["$ref"]?.GetValue<string>() == "#/components/schemas/" + target);
        Assert.Contains(choices, c => c!["type"]?.GetValue<string>() == "null");
    }

    [Fact]
    public async Task NonNullableReferences_StayPlainReferences()
    {
        var document = await Document();
        var session = Schema(document, "SessionResponse")["properties"]!;
        var dose = Schema(document, "DoseResponse")["properties"]!;

        Assert.Equal("#/components/schemas/SessionStatus", session["status"]!["$ref"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/DoseStatus", dose["status"]!["$ref"]!.GetValue<string>());
    }

    [Fact]
    public async Task RequestSchemas_CarryTheValidatorsLimits()
    {
        var document = await Document();
        var patient = Schema(document, "PatientRequest");
        var phase = Schema(document, "PlanPhaseRequest")["properties"]!;
        var plan = Schema(document, "CreatePlanRequest")["properties"]!;

        // PatientRequestValidator: names 1–100, mrn 1–32 of [A-Za-z0-9-], diagnosis at most 2,000.
        Assert.Equal(100, patient["properties"]!["givenName"]!["maxLength"]!.GetValue<int>());
        Assert.Equal(1, patient["properties"]!["givenName"]!["minLength"]!.GetValue<int>());
        Assert.Equal(32, patient["properties"]!["mrn"]!["maxLength"]!.GetValue<int>());
        Assert.Equal("^[A-Za-z0-9-]+$", patient["properties"]!["mrn"]!["pattern"]!.GetValue<string>());
        Assert.Equal(2000, patient["properties"]!["diagnosis"]!["maxLength"]!.GetValue<int>());
        Assert.Contains("givenName", patient["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        // PlanPhaseRequestValidator and ScheduleGenerator's numbers: sessions 1–200, every 1–90 days, 1–7 weekdays, 1–10 phases.
        Assert.Equal((1, 200), (phase["sessions"]!["minimum"]!.GetValue<int>(), phase["sessions"]!["maximum"]!.GetValue<int>()));
        Assert.Equal((1, 90), (phase["everyDays"]!["minimum"]!.GetValue<int>(), phase["everyDays"]!["maximum"]!.GetValue<int>()));
        Assert.Equal((1, 7), (phase["weekdays"]!["minItems"]!.GetValue<int>(), phase["weekdays"]!["maxItems"]!.GetValue<int>()));
        Assert.Equal(10, plan["phases"]!["maxItems"]!.GetValue<int>());
        Assert.Equal((0, 7), (plan["toleranceDays"]!["minimum"]!.GetValue<int>(), plan["toleranceDays"]!["maximum"]!.GetValue<int>()));
        // CheckInRequestValidator: 30–300 kg; Milligrams(): > 0 and ≤ 10,000; MADRS has the most items (10).
        var weight = Schema(document, "CheckInRequest")["properties"]!["weightKg"]!;
        Assert.Equal((30m, 300m), (weight["minimum"]!.GetValue<decimal>(), weight["maximum"]!.GetValue<decimal>()));
        var amount = Schema(document, "RecordDoseRequest")["properties"]!["amountMg"]!;
        Assert.Equal((0m, 10_000m), (amount["exclusiveMinimum"]!.GetValue<decimal>(), amount["maximum"]!.GetValue<decimal>()));
        Assert.Equal(10, Schema(document, "RecordAssessmentRequest")["properties"]!["items"]!["maxItems"]!.GetValue<int>());
        // A rule under When() holds only sometimes and is not claimed: otherType is required only for type "other".
        Assert.DoesNotContain("otherType", Schema(document, "RecordAdverseEventRequest")["required"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Fact]
    public async Task PagingLimit_IsDeclaredOneTo200()
    {
        var limit = (await Document())["paths"]!["/api/v1/patients"]!["get"]!["parameters"]!.AsArray()
            .Single(p => p!["name"]!.GetValue<string>() == "limit")!["schema"]!;

        Assert.Equal((1, 200, 50), (limit["minimum"]!.GetValue<int>(), limit["maximum"]!.GetValue<int>(), limit["default"]!.GetValue<int>()));
    }

    [Fact]
    public async Task EveryOperation_DeclaresItsProblemResponses_WithProblemBodies()
    {
        var document = await Document();
        var failures = new List<string>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var responses = operation!["responses"]!.AsObject();
                var expected = new List<string> { "429" };
                if (operation["security"] is not null)
                {
                    expected.AddRange(["401", "403"]);
                }

                if (operation["requestBody"] is not null)
                {
                    expected.AddRange(["400", "413", "415"]);
                }

                foreach (var status in expected)
                {
                    // The shared problem schema, alone or as allOf[0] beside the response's code enum.
                    var schema = responses[status]?["content"]?["application/problem+json"]?["schema"];
                    if ((schema?["$ref"] ?? schema?["allOf"]?[0]?["$ref"]) is null)
                    {
                        failures.Add($"{method.ToUpperInvariant()} {path}: no {status} with an application/problem+json body");
                    }
                }

                // Every 4xx an operation declares is a problem, never plain JSON.
                failures.AddRange(responses.Where(r => r.Key.StartsWith('4') && r.Value!["content"]?["application/json"] is not null)
                    .Select(r => $"{method.ToUpperInvariant()} {path}: {r.Key} is declared as application/json"));
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task TooManyRequests_DeclaresRetryAfterAndTheRateLimitHeaders()
    {
        var tooMany = (await Document())["paths"]!["/api/v1/patients"]!["get"]!["responses"]!["429"]!;

        foreach (var header in new[] { "Retry-After", "RateLimit-Policy", "RateLimit" })
        {
            Assert.True(tooMany["headers"]?[header]?["required"]?.GetValue<bool>() == true, $"429 does not declare {header}.");
        }
    }

    [Fact]
    public async Task ProblemSchema_RequiresWhatEveryProblemCarries()
    {
        var problem = Schema(await Document(), "ProblemDetails");

        Assert.Equal(["type", "title", "status", "detail", "code", "traceId"], problem["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Contains("errors", Schema(await Document(), "HttpValidationProblemDetails")["required"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Fact]
    public async Task ResponseSchemas_RequireEveryPropertyTheApiAlwaysSends()
    {
        var document = await Document();
        var patient = Schema(document, "PatientResponse");
        var health = Schema(document, "HealthResponse");

        Assert.Equal(patient["properties"]!.AsObject().Select(p => p.Key).Order(), patient["required"]!.AsArray().Select(r => r!.GetValue<string>()).Order());
        // HealthResponse omits pendingMigrations when it is null (liveness), so it is not required.
        Assert.Equal(["status"], health["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        // Request schemas require only what their validators require.
        Assert.DoesNotContain("diagnosis", Schema(document, "PatientRequest")["required"]!.AsArray().Select(r => r!.GetValue<string>()));
    }
}
