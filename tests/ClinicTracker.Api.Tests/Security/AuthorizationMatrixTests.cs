using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using ClinicTracker.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;

namespace ClinicTracker.Api.Tests.Security;

/// <summary>
/// Every mapped route against the roles of domain.md §9 and api-outline.md, written out here independently
/// of the code's policy table: a route missing from this table, or a table row with no route, fails.
/// </summary>
public sealed partial class AuthorizationMatrixTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    private const string F = "front-desk", N = "nurse", P = "prescriber", A = "admin", I = "integrator";
    private static readonly string[] AllRoles = [F, N, P, A, I];
    private static readonly string[] Staff = [F, N, P, A];
    private static readonly string[] Readers = [F, N, P, A, I];

    /// <summary>"VERB template" → roles that may call it.</summary>
    private static readonly Dictionary<string, string[]> Expected = new()
    {
        ["POST /api/v1/clinicians"] = [A],
        ["GET /api/v1/clinicians"] = Staff,
        ["GET /api/v1/clinicians/{id}"] = Staff,
        ["PATCH /api/v1/clinicians/{id}"] = [A],
        ["POST /api/v1/patients"] = [F, N, P],
        ["GET /api/v1/patients"] = Readers,
        ["GET /api/v1/patients/{id}"] = Readers,
        ["PUT /api/v1/patients/{id}"] = [F, N, P],
        ["POST /api/v1/patients/{id}/archive"] = [F, N, P],
        ["POST /api/v1/patients/{patientId}/plans"] = [P],
        ["GET /api/v1/patients/{patientId}/plans"] = Readers,
        ["GET /api/v1/plans/{planId}"] = Readers,
        ["POST /api/v1/plans/{planId}/discontinue"] = [P],
        ["POST /api/v1/plans/{planId}/complete"] = [P],
        ["GET /api/v1/plans/{planId}/schedule"] = Staff,
        ["POST /api/v1/patients/{patientId}/sessions"] = [F, N, P],
        ["GET /api/v1/patients/{patientId}/sessions"] = Readers,
        ["GET /api/v1/sessions/{sessionId}"] = Readers,
        ["POST /api/v1/sessions/{sessionId}/check-in"] = [N, P],
        ["POST /api/v1/sessions/{sessionId}/cancel"] = [F, N, P],
        ["POST /api/v1/sessions/{sessionId}/no-show"] = [F, N, P],
        ["POST /api/v1/sessions/{sessionId}/hold"] = [N, P],
        ["POST /api/v1/sessions/{sessionId}/complete"] = [N, P],
        ["POST /api/v1/sessions/{sessionId}/doses"] = [N, P],
        ["GET /api/v1/sessions/{sessionId}/doses"] = Readers,
        ["POST /api/v1/sessions/{sessionId}/waste"] = [N, P],
        ["GET /api/v1/doses/{doseId}"] = Readers,
        ["GET /api/v1/waste/{wasteId}"] = Readers,
        ["POST /api/v1/doses/{doseId}/void"] = [P],
        ["POST /api/v1/sessions/{sessionId}/observations"] = [N, P],
        ["GET /api/v1/sessions/{sessionId}/observations"] = Readers,
        ["POST /api/v1/observations/{observationId}/void"] = [N, P],
        ["GET /api/v1/observations/{observationId}"] = Readers,
        ["GET /api/v1/adverse-events/{adverseEventId}"] = Readers,
        ["POST /api/v1/sessions/{sessionId}/adverse-events"] = [N, P],
        ["GET /api/v1/sessions/{sessionId}/adverse-events"] = Readers,
        ["POST /api/v1/adverse-events/{adverseEventId}/resolve"] = [N, P],
        ["GET /api/v1/plans/{planId}/adherence"] = Readers,
        ["GET /api/v1/reports/adherence"] = [P, A],
        ["POST /api/v1/patients/{patientId}/assessments"] = [N, P],
        ["GET /api/v1/patients/{patientId}/assessments"] = Readers,
        ["GET /api/v1/assessments/{assessmentId}"] = Readers,
        ["POST /api/v1/assessments/{assessmentId}/void"] = [P],
        ["GET /api/v1/patients/{patientId}/outcomes"] = Readers,
        ["GET /api/v1/patients/{patientId}/safety-flags"] = Readers,
        ["POST /api/v1/safety-flags/{flagId}/acknowledge"] = [P],
        ["GET /api/v1/audit"] = [A],
        ["GET /api/v1/audit/verify"] = [A],
    };

    private static readonly HashSet<string> Anonymous = ["GET /health/live", "GET /health/ready"];

    private IReadOnlyList<(string Key, string Method, string Template)> MappedRoutes() =>
        [.. factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m =>
            {
                var template = "/" + ConstraintPattern().Replace(e.RoutePattern.RawText!, "{$1}").Trim('/');
                return ($"{m} {template}", m, template);
            }))];

    [Fact]
    public void EveryMappedRoute_IsInTheTable_AndEveryTableRowIsMapped()
    {
        var mapped = MappedRoutes().Select(r => r.Key).ToHashSet();

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
            var status = await Send(factory.CreateClient(), method, path, token);
            if (status != HttpStatusCode.Unauthorized)
            {
                failures.Add($"{name}: expected 401, got {(int)status}");
            }
        }

        foreach (var role in AllRoles)
        {
            var client = factory.ClientFor($"matrix.{role}", role);
            var status = await Send(client, method, path, token: null);
            var allowed = Expected[route].Contains(role);
            if (allowed ? status is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized or >= HttpStatusCode.InternalServerError
                        : status != HttpStatusCode.Forbidden)
            {
                failures.Add($"{role}: expected {(allowed ? "2xx or 4xx other than 401/403" : "403")}, got {(int)status}");
            }
        }

        Assert.True(failures.Count == 0, $"{route}: " + string.Join("; ", failures));
    }

    private static async Task<HttpStatusCode> Send(HttpClient client, string method, string path, string? token)
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

        return (await client.SendAsync(request)).StatusCode;
    }

    [GeneratedRegex("{([^:}]+)(:[^}]+)?}")]
    private static partial Regex ConstraintPattern();

    [GeneratedRegex("{[^}]+}")]
    private static partial Regex RouteParameter();
}
