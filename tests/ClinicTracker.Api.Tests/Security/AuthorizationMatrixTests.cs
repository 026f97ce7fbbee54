using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ClinicTracker.Api.Tests.Infrastructure;
using ClinicTracker.Core.Clinicians;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;

namespace ClinicTracker.Api.Tests.Security;

/// <summary>
/// Every mapped route against the roles of domain.md §9 (as updated: front-desk sees no clinical data, the
/// staff register is the ceiling), written out here independently of the code's policy table: a route
/// missing from this table, or a table row with no route, fails. Each route is called with every role,
/// each registered as that role (admin is not registered: the identity provider alone grants it), and with
/// callers whose register entry does not back their token.
/// </summary>
public sealed partial class AuthorizationMatrixTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    private const string F = "front-desk", N = "nurse", P = "prescriber", A = "admin", I = "integrator";
    private static readonly string[] AllRoles = [F, N, P, A, I];

    /// <summary>The staff register itself: every staff member reads it (to pick a witness, to see who acted).</summary>
    private static readonly string[] Staff = [F, N, P, A];

    /// <summary>Demographics and scheduling: patients, plans without their dose, the schedule, the session list.</summary>
    private static readonly string[] Demographics = [F, N, P, I];

    /// <summary>Clinical data (domain.md §9): doses, waste, observations, adverse events, assessments, outcomes, flags, detail, adherence.</summary>
    private static readonly string[] Clinical = [N, P, I];

    /// <summary>"VERB template" → roles that may call it.</summary>
    private static readonly Dictionary<string, string[]> Expected = new()
    {
        ["POST /api/v1/clinicians"] = [A],
        ["GET /api/v1/clinicians"] = Staff,
        ["GET /api/v1/clinicians/{id}"] = Staff,
        ["PATCH /api/v1/clinicians/{id}"] = [A],
        ["POST /api/v1/sites"] = [A],
        ["GET /api/v1/sites"] = AllRoles,
        ["GET /api/v1/sites/{siteId}"] = AllRoles,
        ["PATCH /api/v1/sites/{siteId}"] = [A],
        ["POST /api/v1/patients/{patientId}/shares"] = [P],
        ["GET /api/v1/patients/{patientId}/shares"] = Demographics,
        ["POST /api/v1/patients/{patientId}/shares/{shareId}/revoke"] = [P],
        ["POST /api/v1/patients/{patientId}/move"] = [P],
        ["GET /api/v1/patients/{patientId}/site-moves"] = Demographics,
        ["POST /api/v1/patients"] = [F, N, P],
        ["GET /api/v1/patients"] = Demographics,
        ["GET /api/v1/patients/{id}"] = Demographics,
        ["PUT /api/v1/patients/{id}"] = [F, N, P],
        ["POST /api/v1/patients/{id}/archive"] = [F, N, P],
        ["POST /api/v1/patients/{patientId}/plans"] = [P],
        ["GET /api/v1/patients/{patientId}/plans"] = Demographics,
        ["GET /api/v1/plans/{planId}"] = Demographics,
        ["POST /api/v1/plans/{planId}/discontinue"] = [P],
        ["POST /api/v1/plans/{planId}/complete"] = [P],
        ["GET /api/v1/plans/{planId}/schedule"] = Demographics,
        ["POST /api/v1/patients/{patientId}/sessions"] = [F, N, P],
        ["GET /api/v1/patients/{patientId}/sessions"] = Demographics,
        // The patient's calendar (api-outline.md: front-desk, nurse, prescriber): staff who hand it to the patient;
        // a system client reads the same sessions as JSON, admins no patient record (docs/api.md).
        ["GET /api/v1/patients/{patientId}/schedule.ics"] = [F, N, P],
        ["GET /api/v1/sessions/{sessionId}"] = Clinical,
        ["POST /api/v1/sessions/{sessionId}/check-in"] = [N, P],
        ["POST /api/v1/sessions/{sessionId}/cancel"] = [F, N, P],
        ["POST /api/v1/sessions/{sessionId}/no-show"] = [F, N, P],
        ["POST /api/v1/sessions/{sessionId}/hold"] = [N, P],
        ["POST /api/v1/sessions/{sessionId}/complete"] = [N, P],
        ["POST /api/v1/sessions/{sessionId}/doses"] = [N, P],
        ["GET /api/v1/sessions/{sessionId}/doses"] = Clinical,
        ["POST /api/v1/sessions/{sessionId}/waste"] = [N, P],
        ["GET /api/v1/doses/{doseId}"] = Clinical,
        ["GET /api/v1/waste/{wasteId}"] = Clinical,
        ["POST /api/v1/doses/{doseId}/void"] = [P],
        ["POST /api/v1/sessions/{sessionId}/observations"] = [N, P],
        ["GET /api/v1/sessions/{sessionId}/observations"] = Clinical,
        ["POST /api/v1/observations/{observationId}/void"] = [N, P],
        ["GET /api/v1/observations/{observationId}"] = Clinical,
        ["GET /api/v1/adverse-events/{adverseEventId}"] = Clinical,
        ["POST /api/v1/sessions/{sessionId}/adverse-events"] = [N, P],
        ["GET /api/v1/sessions/{sessionId}/adverse-events"] = Clinical,
        ["POST /api/v1/adverse-events/{adverseEventId}/resolve"] = [N, P],
        ["GET /api/v1/plans/{planId}/adherence"] = Clinical,
        ["GET /api/v1/reports/adherence"] = [P, A],
        ["GET /api/v1/reports/outcomes"] = [P, A],
        ["POST /api/v1/patients/{patientId}/assessments"] = [N, P],
        ["GET /api/v1/patients/{patientId}/assessments"] = Clinical,
        ["GET /api/v1/assessments/{assessmentId}"] = Clinical,
        ["POST /api/v1/assessments/{assessmentId}/void"] = [P],
        ["GET /api/v1/patients/{patientId}/outcomes"] = Clinical,
        ["GET /api/v1/patients/{patientId}/safety-flags"] = Clinical,
        ["POST /api/v1/safety-flags/{flagId}/acknowledge"] = [P],
        ["GET /api/v1/audit"] = [A],
        ["GET /api/v1/audit/verify"] = [A],
        ["GET /api/v1/audit/head"] = [A],
        ["POST /api/v1/audit/head/verify"] = [A],
        // Controlled-substance stock (domain.md §12; issue: receipts, counts and disposals by nurses and prescribers,
        // resolution by prescribers, reports by prescribers and admins). Lots, counts and discrepancies carry no patient
        // data, so admins oversee them; a lot's ledger names the patients of its doses, so it is clinical.
        ["POST /api/v1/stock/receipts"] = [N, P],
        ["GET /api/v1/stock/receipts/{receiptId}"] = [N, P, A],
        ["GET /api/v1/stock/lots"] = [N, P, A],
        ["GET /api/v1/stock/lots/{lotId}"] = [N, P, A],
        ["GET /api/v1/stock/lots/{lotId}/ledger"] = [N, P],
        ["POST /api/v1/stock/lots/{lotId}/disposals"] = [N, P],
        ["GET /api/v1/stock/disposals/{disposalId}"] = [N, P, A],
        ["POST /api/v1/stock/lots/{lotId}/counts"] = [N, P],
        ["GET /api/v1/stock/counts/{countId}"] = [N, P, A],
        ["GET /api/v1/stock/discrepancies"] = [N, P, A],
        ["GET /api/v1/stock/discrepancies/{discrepancyId}"] = [N, P, A],
        ["POST /api/v1/stock/discrepancies/{discrepancyId}/resolve"] = [P],
        ["GET /api/v1/stock/reconciliation"] = [P, A],
        // Webhooks (ADR 0021): clinic-wide admin objects; payloads and the log carry ids only.
        ["POST /api/v1/webhooks/subscriptions"] = [A],
        ["GET /api/v1/webhooks/subscriptions"] = [A],
        ["GET /api/v1/webhooks/subscriptions/{subscriptionId}"] = [A],
        ["PATCH /api/v1/webhooks/subscriptions/{subscriptionId}"] = [A],
        ["POST /api/v1/webhooks/subscriptions/{subscriptionId}/rotate-secret"] = [A],
        ["POST /api/v1/webhooks/subscriptions/{subscriptionId}/ping"] = [A],
        ["GET /api/v1/webhooks/deliveries"] = [A],
        ["GET /api/v1/webhooks/deliveries/{deliveryId}"] = [A],
        ["POST /api/v1/webhooks/deliveries/{deliveryId}/redeliver"] = [A],
        // FHIR R4 (api-outline.md: nurse, prescriber, integrator); the CapabilityStatement is public.
        ["GET /fhir/r4/Patient/{patientId}"] = Clinical,
        ["GET /fhir/r4/Encounter/{sessionId}"] = Clinical,
        ["GET /fhir/r4/MedicationAdministration/{doseId}"] = Clinical,
        ["GET /fhir/r4/Observation/{observationId}"] = Clinical,
        ["GET /fhir/r4/QuestionnaireResponse/{assessmentId}"] = Clinical,
        ["GET /fhir/r4/CarePlan/{planId}"] = Clinical,
        ["GET /fhir/r4/AdverseEvent/{adverseEventId}"] = Clinical,
        ["GET /fhir/r4/Patient/{patientId}/$everything"] = Clinical,
        ["GET /fhir/r4/Patient"] = Clinical,
        ["GET /fhir/r4/Encounter"] = Clinical,
        ["GET /fhir/r4/MedicationAdministration"] = Clinical,
        ["GET /fhir/r4/Observation"] = Clinical,
        // Bulk FHIR export (ADR 0019): clinical readers; a job is its owner's alone (404 for anyone else).
        ["GET /fhir/r4/Patient/$export"] = Clinical,
        ["GET /fhir/r4/Group/{groupId}/$export"] = Clinical,
        ["GET /fhir/r4/$export-status/{jobId}"] = Clinical,
        ["DELETE /fhir/r4/$export-status/{jobId}"] = Clinical,
        ["GET /fhir/r4/$export-file/{fileId}"] = Clinical,
    };

    private static readonly HashSet<string> Anonymous = ["GET /health/live", "GET /health/ready", "GET /fhir/r4/metadata"];

    [Fact]
    public void EveryMappedRoute_IsInTheTable_AndEveryTableRowIsMapped()
    {
        var mapped = MappedRoutes.Of(factory.Services).Select(r => r.Key).ToHashSet();

        Assert.Empty(mapped.Except(Expected.Keys).Except(Anonymous));
        Assert.Empty(Expected.Keys.Except(mapped));
    }

    [Fact]
    public void EveryNonAnonymousRoute_NamesAPolicy()
    {
        var unguarded = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null && e.Metadata.GetMetadata<IHttpMethodMetadata>() is not null)
            .Where(e => !e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => !string.IsNullOrEmpty(a.Policy)))
            .Select(e => e.RoutePattern.RawText);

        Assert.Empty(unguarded);
    }

    public static TheoryData<string> Routes() => [.. Expected.Keys];

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Route_AnswersEachCallerAsTheTableSays(string route)
    {
        var (method, template) = (route[..route.IndexOf(' ')], route[(route.IndexOf(' ') + 1)..]);
        var path = RouteParameter().Replace(template, _ => Guid.NewGuid().ToString());
        var failures = new List<string>();

        foreach (var (name, token) in new[]
        {
            ("no token", (string?)null),
            ("expired token", TestTokens.Expired("nurse.kim", N)),
            ("token signed with another key", TestTokens.WrongKey("nurse.kim", N)),
        })
        {
            var (status, _) = await Send(factory.CreateClient(), method, path, token);
            if (status != HttpStatusCode.Unauthorized)
            {
                failures.Add($"{name}: expected 401, got {(int)status}");
            }
        }

        foreach (var role in AllRoles)
        {
            // Registered as the token's role (the factory leaves admins out of the register).
            var (status, _) = await Send(factory.ClientFor($"matrix.{role}", role), method, path, token: null);
            var allowed = Expected[route].Contains(role);
            if (allowed ? status is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized or >= HttpStatusCode.InternalServerError
                        : status != HttpStatusCode.Forbidden)
            {
                failures.Add($"{role}: expected {(allowed ? "2xx or 4xx other than 401/403" : "403")}, got {(int)status}");
            }
        }

        // Callers the register does not back: refused everywhere. Without an active entry the refusal says so
        // (clinician.not-registered) where the token's role would have been enough; a role the register does not
        // grant is a plain 403.
        foreach (var (name, client, claimedRole, notRegistered) in new[]
        {
            ("registered front-desk with a prescriber token", MismatchedClient(), P, false),
            ("deactivated nurse", DeactivatedNurseClient(), N, true),
            ("integrator not in the register", factory.UnregisteredClientFor("matrix.unregistered-integrator", I), I, true),
        })
        {
            var (status, code) = await Send(client, method, path, token: null);
            var expectedCode = notRegistered && Expected[route].Contains(claimedRole) ? "clinician.not-registered" : "auth.forbidden";
            if (status != HttpStatusCode.Forbidden || code != expectedCode)
            {
                failures.Add($"{name}: expected 403 {expectedCode}, got {(int)status} {code}");
            }
        }

        Assert.True(failures.Count == 0, $"{route}: " + string.Join("; ", failures));
    }

    private HttpClient MismatchedClient()
    {
        factory.Register("matrix.mismatch", StaffRole.FrontDesk);
        return factory.UnregisteredClientFor("matrix.mismatch", P);
    }

    private HttpClient DeactivatedNurseClient()
    {
        factory.Register("matrix.deactivated", StaffRole.Nurse, active: false);
        return factory.UnregisteredClientFor("matrix.deactivated", N);
    }

    private static async Task<(HttpStatusCode Status, string? Code)> Send(HttpClient client, string method, string path, string? token)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (method is "POST" or "PUT" or "PATCH")
        {
            request.Content = Http.Json("{}");
        }

        var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, ProblemCode(body));
    }

    /// <summary>The stable problem code of a problem, or of an OperationOutcome (FHIR routes carry it in the issue's details).</summary>
    internal static string? ProblemCode(string body)
    {
        var json = body.StartsWith('{') ? JsonNode.Parse(body) : null;
        return json?["resourceType"]?.GetValue<string>() switch
        {
            "OperationOutcome" => json["issue"]?[0]?["details"]?["coding"]?[0]?["code"]?.GetValue<string>(),
            null => json?["code"]?.GetValue<string>(),
            _ => null,
        };
    }

    [GeneratedRegex("{[^}]+}")]
    private static partial Regex RouteParameter();
}
