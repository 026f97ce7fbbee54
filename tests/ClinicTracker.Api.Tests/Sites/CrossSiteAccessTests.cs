using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ClinicTracker.Api.Tests.Infrastructure;
using ClinicTracker.Api.Tests.Outcomes;

namespace ClinicTracker.Api.Tests.Sites;

/// <summary>
/// Object-level authorization by site (domain.md §14; OWASP API1), over every mapped route: for a patient of site B
/// with a plan, sessions, a dose, waste, observations, an adverse event, an assessment, a safety flag, a share and
/// a move, every route that takes one of those ids (or lists such records) is called by the front desk, a nurse, a
/// prescriber, an integrator and an admin of site A. Each gets 404 — the same answer as for an id that never
/// existed, so existence does not leak — or a list without B's records, or the 403 its role gets anywhere; nothing
/// changes. Then the same calls by site B's staff reach the record. The route table is written out here: a mapped
/// route missing from it (or from the list of routes that touch no patient's record) fails, so a new route cannot
/// skip the check unseen.
/// </summary>
public sealed partial class CrossSiteAccessTests(CrossSiteAccessTests.Clinic clinic) : IClassFixture<CrossSiteAccessTests.Clinic>
{
    /// <summary>Routes that take or return no patient-linked record, with why they need no site check.</summary>
    private static readonly Dictionary<string, string> NotPatientLinked = new()
    {
        ["GET /health/live"] = "anonymous liveness",
        ["GET /health/ready"] = "anonymous readiness",
        ["POST /api/v1/clinicians"] = "the staff register",
        ["GET /api/v1/clinicians"] = "the staff register",
        ["GET /api/v1/clinicians/{id}"] = "the staff register",
        ["PATCH /api/v1/clinicians/{id}"] = "the staff register",
        ["POST /api/v1/sites"] = "the group's sites (not secret)",
        ["GET /api/v1/sites"] = "the group's sites (not secret)",
        ["GET /api/v1/sites/{siteId}"] = "the group's sites (not secret)",
        ["PATCH /api/v1/sites/{siteId}"] = "the group's sites (not secret)",
        ["POST /api/v1/patients"] = "registers a new patient at one of the caller's own sites (SiteAccess.HomeSiteForNewPatientAsync)",
        ["GET /api/v1/audit/verify"] = "chain positions and hashes only",
        ["GET /api/v1/audit/head"] = "chain positions and hashes only",
        ["POST /api/v1/audit/head/verify"] = "chain positions and hashes only",
        // Webhooks (ADR 0021): subscriptions and their delivery log are clinic-wide admin objects holding ids only, no record.
        ["POST /api/v1/webhooks/subscriptions"] = "webhook subscriptions and delivery log (ids only, admin)",
        ["GET /api/v1/webhooks/subscriptions"] = "webhook subscriptions and delivery log (ids only, admin)",
        ["GET /api/v1/webhooks/subscriptions/{subscriptionId}"] = "webhook subscriptions and delivery log (ids only, admin)",
        ["PATCH /api/v1/webhooks/subscriptions/{subscriptionId}"] = "webhook subscriptions and delivery log (ids only, admin)",
        ["POST /api/v1/webhooks/subscriptions/{subscriptionId}/rotate-secret"] = "webhook subscriptions and delivery log (ids only, admin)",
        ["POST /api/v1/webhooks/subscriptions/{subscriptionId}/ping"] = "webhook subscriptions and delivery log (ids only, admin)",
        ["GET /api/v1/webhooks/deliveries"] = "webhook subscriptions and delivery log (ids only, admin)",
        ["GET /api/v1/webhooks/deliveries/{deliveryId}"] = "webhook subscriptions and delivery log (ids only, admin)",
        ["POST /api/v1/webhooks/deliveries/{deliveryId}/redeliver"] = "webhook subscriptions and delivery log (ids only, admin)",
        // Stock (domain.md §12) is kept per site, not per patient: StockSiteTests calls every stock route from another site.
        ["POST /api/v1/stock/receipts"] = "a site's controlled-substance stock (StockSiteTests)",
        ["GET /api/v1/stock/receipts/{receiptId}"] = "a site's controlled-substance stock (StockSiteTests)",
        ["GET /api/v1/stock/lots"] = "a site's controlled-substance stock (StockSiteTests)",
        ["GET /api/v1/stock/lots/{lotId}"] = "a site's controlled-substance stock (StockSiteTests)",
        ["GET /api/v1/stock/lots/{lotId}/ledger"] = "a site's controlled-substance stock (StockSiteTests)",
        ["POST /api/v1/stock/lots/{lotId}/disposals"] = "a site's controlled-substance stock (StockSiteTests)",
        ["GET /api/v1/stock/disposals/{disposalId}"] = "a site's controlled-substance stock (StockSiteTests)",
        ["POST /api/v1/stock/lots/{lotId}/counts"] = "a site's controlled-substance stock (StockSiteTests)",
        ["GET /api/v1/stock/counts/{countId}"] = "a site's controlled-substance stock (StockSiteTests)",
        ["GET /api/v1/stock/discrepancies"] = "a site's controlled-substance stock (StockSiteTests)",
        ["GET /api/v1/stock/discrepancies/{discrepancyId}"] = "a site's controlled-substance stock (StockSiteTests)",
        ["POST /api/v1/stock/discrepancies/{discrepancyId}/resolve"] = "a site's controlled-substance stock (StockSiteTests)",
        ["GET /api/v1/stock/reconciliation"] = "a site's controlled-substance stock (StockSiteTests)",
        ["GET /fhir/r4/metadata"] = "the FHIR CapabilityStatement",
        // Counts and rates only, no id or record; every query runs through the site filters (domain.md §14), and
        // OutcomesReportTests.Report_DoesNotCountAnotherSitesPlans shows another site's plans are not counted.
        ["GET /api/v1/reports/outcomes"] = "aggregate counts of the caller's own sites only",
        // Bulk FHIR export (ADR 0019): the job keeps the caller's own sites at kick-off and the worker reads through
        // them; jobs and files are their owner's alone (FhirExportTests covers both).
        ["GET /fhir/r4/Patient/$export"] = "exports the caller's own sites only",
        ["GET /fhir/r4/Group/{groupId}/$export"] = "exports the caller's own sites only",
        ["GET /fhir/r4/$export-status/{jobId}"] = "the caller's own export job",
        ["DELETE /fhir/r4/$export-status/{jobId}"] = "the caller's own export job",
        ["GET /fhir/r4/$export-file/{fileId}"] = "a file of the caller's own export job",
    };

    private static readonly object Reason = new { reason = "Entered on the wrong record." };

    private static readonly object PlanBody = new
    {
        medication = "ketamine", route = "intravenous", startDate = "2026-03-02", template = "iv-induction", targetDoseMgPerKg = 0.5m,
    };

    /// <summary>
    /// Every patient-linked route, in the order site B's calls run (reads first, then writes that change the record,
    /// the archive last). Site A's calls all run before any of B's.
    /// </summary>
    private static readonly Call[] Calls =
    [
        new("GET /api/v1/patients/{id}"),
        new("GET /api/v1/patients", Query: c => $"?search={c.Mrn}", List: true),
        new("GET /api/v1/patients/{patientId}/plans"),
        new("GET /api/v1/plans/{planId}"),
        new("GET /api/v1/plans/{planId}/schedule"),
        new("GET /api/v1/plans/{planId}/adherence"),
        new("GET /api/v1/reports/adherence", Query: _ => "?below=1&limit=200", List: true),
        new("GET /api/v1/patients/{patientId}/sessions"),
        new("GET /api/v1/patients/{patientId}/schedule.ics"),
        new("GET /api/v1/sessions/{sessionId}"),
        new("GET /api/v1/sessions/{sessionId}/doses"),
        new("GET /api/v1/doses/{doseId}"),
        new("GET /api/v1/waste/{wasteId}"),
        new("GET /api/v1/sessions/{sessionId}/observations"),
        new("GET /api/v1/observations/{observationId}"),
        new("GET /api/v1/sessions/{sessionId}/adverse-events"),
        new("GET /api/v1/adverse-events/{adverseEventId}"),
        new("GET /api/v1/patients/{patientId}/assessments"),
        new("GET /api/v1/assessments/{assessmentId}"),
        new("GET /api/v1/patients/{patientId}/outcomes"),
        new("GET /api/v1/patients/{patientId}/safety-flags"),
        new("GET /api/v1/patients/{patientId}/shares"),
        new("GET /api/v1/patients/{patientId}/site-moves"),
        new("GET /api/v1/audit", Query: c => $"?patientId={c.PatientId}", List: true),
        new("GET /fhir/r4/Patient/{patientId}"),
        new("GET /fhir/r4/Encounter/{sessionId}"),
        new("GET /fhir/r4/MedicationAdministration/{doseId}"),
        new("GET /fhir/r4/Observation/{observationId}"),
        new("GET /fhir/r4/QuestionnaireResponse/{assessmentId}"),
        new("GET /fhir/r4/CarePlan/{planId}"),
        new("GET /fhir/r4/AdverseEvent/{adverseEventId}"),
        new("GET /fhir/r4/Patient/{patientId}/$everything"),
        new("GET /fhir/r4/Patient", Query: c => $"?identifier={c.Mrn}", List: true),
        new("GET /fhir/r4/Encounter", Query: c => $"?patient={c.PatientId}", List: true),
        new("GET /fhir/r4/MedicationAdministration", Query: c => $"?patient={c.PatientId}", List: true),
        new("GET /fhir/r4/Observation", Query: c => $"?patient={c.PatientId}", List: true),
        new("PUT /api/v1/patients/{id}", Body: c => PatientData.NewPatient(mrn: c.Mrn, given: "Grace"), IfMatch: c => c.VersionOf($"/api/v1/patients/{c.PatientId}")),
        new("POST /api/v1/patients/{patientId}/plans", Body: _ => PlanBody),
        new("POST /api/v1/patients/{patientId}/sessions", Body: c => new { planId = c.PlanId, scheduledAt = DateTimeOffset.UtcNow.AddDays(2) }),
        new("POST /api/v1/sessions/{sessionId}/doses", Body: _ => TreatmentData.Iv(5m, minutes: 10, startMinutesAfterCheckIn: 60)),
        new("POST /api/v1/sessions/{sessionId}/waste",
            Body: c => new { amountMg = 1m, witnessUserName = c.BWitness, wastedAt = TreatmentData.CheckInTime.AddMinutes(70), lotNumber = "KET-2026-001" }),
        new("POST /api/v1/sessions/{sessionId}/observations",
            Body: _ => new { kind = "heart-rate", value = 72, observedAt = TreatmentData.CheckInTime.AddMinutes(20) }),
        new("POST /api/v1/observations/{observationId}/void", Body: _ => Reason),
        new("POST /api/v1/sessions/{sessionId}/adverse-events",
            Body: _ => new { type = "nausea", severity = "mild", onsetAt = TreatmentData.CheckInTime.AddMinutes(30) }),
        new("POST /api/v1/adverse-events/{adverseEventId}/resolve", Body: _ => new { resolvedAt = TreatmentData.CheckInTime.AddMinutes(45) }),
        new("POST /api/v1/patients/{patientId}/assessments",
            Body: _ => new { instrument = "phq9", items = AssessmentData.Phq9(12), assessedAt = DateTimeOffset.UtcNow.AddHours(-1) }),
        new("POST /api/v1/assessments/{assessmentId}/void", Body: _ => Reason),
        new("POST /api/v1/safety-flags/{flagId}/acknowledge", Body: _ => new { actionTaken = "Safety plan reviewed with the patient." }),
        new("POST /api/v1/sessions/{sessionId}/check-in", Session: c => c.SecondSessionId,
            Body: _ => new { weightKg = 70m, weightBasis = "actual", at = DateTimeOffset.UtcNow.AddMinutes(-5) }),
        new("POST /api/v1/sessions/{sessionId}/hold", Body: _ => Reason),
        new("POST /api/v1/sessions/{sessionId}/complete", Body: _ => new { at = TreatmentData.CheckInTime.AddMinutes(135) }),
        new("POST /api/v1/sessions/{sessionId}/cancel", Session: c => c.SecondSessionId, Body: _ => new { cancelledBy = "patient", reason = "Unwell" }),
        new("POST /api/v1/sessions/{sessionId}/no-show", Session: c => c.ThirdSessionId, Body: _ => new { }),
        new("POST /api/v1/doses/{doseId}/void", Body: _ => Reason),
        new("POST /api/v1/plans/{planId}/complete", Plan: c => c.SecondPlanId, Body: _ => new { }, IfMatch: c => c.VersionOf($"/api/v1/plans/{c.SecondPlanId}")),
        new("POST /api/v1/plans/{planId}/discontinue", Plan: c => c.SecondPlanId, Body: _ => Reason, IfMatch: c => c.VersionOf($"/api/v1/plans/{c.SecondPlanId}")),
        new("POST /api/v1/patients/{patientId}/shares", Body: c => new { siteId = c.SiteD, reason = "Infusions nearer home." }),
        new("POST /api/v1/patients/{patientId}/shares/{shareId}/revoke", Body: _ => Reason),
        new("POST /api/v1/patients/{patientId}/move", Body: c => new { siteId = c.SiteC, reason = "Moved house.", shareWithPreviousSite = true }),
        new("POST /api/v1/patients/{id}/archive", Body: _ => new { }),
    ];

    [Fact]
    public void EveryMappedRoute_IsCalledAcrossSites_OrSaysWhyItNeedsNoSiteCheck()
    {
        var mapped = MappedRoutes.Of(clinic.Services).Select(r => r.Key).ToHashSet();
        var covered = Calls.Select(c => c.Route).ToHashSet();

        Assert.Empty(mapped.Except(covered).Except(NotPatientLinked.Keys));
        Assert.Empty(covered.Concat(NotPatientLinked.Keys).Except(mapped));
        Assert.Empty(covered.Intersect(NotPatientLinked.Keys));
    }

    [Fact]
    public void EveryEntityWithAPatientId_IsFilteredBySite()
    {
        using var scope = clinic.Services.CreateScope();
        var model = scope.ServiceProvider.GetRequiredService<ClinicTracker.Core.Data.ClinicDbContext>().Model;

        // The audit trail keeps the patient id of every access, its own rows are read by admins of their site.
        var unfiltered = model.GetEntityTypes()
            .Where(e => e.FindProperty("PatientId") is not null && e.ClrType != typeof(ClinicTracker.Core.Auditing.AuditEntry))
            .Where(e => e.GetDeclaredQueryFilters().Count == 0)
            .Select(e => e.ClrType.Name);

        Assert.Empty(unfiltered);
        Assert.NotEmpty(model.FindEntityType(typeof(ClinicTracker.Core.Patients.Patient))!.GetDeclaredQueryFilters());
    }

    [Fact]
    public async Task SiteAStaff_GetNotFoundOrNothing_ForEverySiteBRecord_AndSiteBStaff_ReachThem()
    {
        var c = await clinic.RecordAsync();
        var failures = new List<string>();
        const string StoredWrites = "SELECT COUNT(*) FROM audit_entries WHERE \"Status\" < 400 AND \"Method\" <> 'GET'";
        var writesBefore = Convert.ToInt64(await clinic.Database.ScalarAsync(StoredWrites), System.Globalization.CultureInfo.InvariantCulture);

        foreach (var call in Calls)
        {
            var reached = false;
            foreach (var (role, client) in clinic.SiteA)
            {
                var (status, code, body) = await SendAsync(client, call, c, ifMatchOverride: "\"1\"");
                if (call.List)
                {
                    if (status == HttpStatusCode.OK)
                    {
                        reached = true;
                        if (c.BIds.FirstOrDefault(body.Contains) is { } leaked)
                        {
                            failures.Add($"{call.Route} as {role} of A: the list shows site B's record {leaked}");
                        }
                    }
                    else if (status != HttpStatusCode.Forbidden || code != "auth.forbidden")
                    {
                        failures.Add($"{call.Route} as {role} of A: expected 200 without B's records or the role's 403, got {(int)status} {code}");
                    }
                }
                else if (status == HttpStatusCode.NotFound && code == "not-found")
                {
                    reached = true;
                }
                else if (status != HttpStatusCode.Forbidden || code != "auth.forbidden")
                {
                    failures.Add($"{call.Route} as {role} of A: expected 404 not-found (or the role's own 403), got {(int)status} {code}: {body}");
                }
            }

            if (!reached)
            {
                failures.Add($"{call.Route}: no site A role the route takes was called");
            }
        }

        // Nothing site A tried was stored: no write since succeeded.
        if (Convert.ToInt64(await clinic.Database.ScalarAsync(StoredWrites), System.Globalization.CultureInfo.InvariantCulture) is var writesAfter &&
            writesAfter != writesBefore)
        {
            failures.Add($"site A's calls stored {writesAfter - writesBefore} write(s)");
        }

        foreach (var call in Calls)
        {
            var (role, client) = clinic.SiteB.First(b => call.Allows(b.Role));
            var (status, code, body) = await SendAsync(client, call, c, ifMatchOverride: null);
            var ok = call.List
                ? status == HttpStatusCode.OK && body.Contains(c.PatientId.ToString(), StringComparison.Ordinal)
                // The record was reached: a success, or a rule of the record's own state (e.g. the session is busy).
                : (int)status is >= 200 and < 300 || (status is HttpStatusCode.Conflict or HttpStatusCode.UnprocessableEntity && code != "not-found");
            if (!ok)
            {
                failures.Add($"{call.Route} as {role} of B: expected the record, got {(int)status} {code}: {body}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static async Task<(HttpStatusCode Status, string? Code, string Body)> SendAsync(HttpClient client, Call call, Record c, string? ifMatchOverride)
    {
        var (method, template) = (call.Route[..call.Route.IndexOf(' ')], call.Route[(call.Route.IndexOf(' ') + 1)..]);
        var path = RouteParameter().Replace(template, m => c.Id(m.Groups[1].Value, call).ToString()) + (call.Query?.Invoke(c) ?? "");
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (call.Body is not null)
        {
            request.Content = JsonContent.Create(call.Body(c));
        }

        if (call.IfMatch is not null)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue(ifMatchOverride ?? await call.IfMatch(c)));
        }

        var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType == "application/fhir+json" && JsonNode.Parse(body) is JsonObject fhir)
        {
            // A FHIR search's links repeat the query (patient=…): only its entries count as what it showed.
            fhir.Remove("link");
            body = fhir.ToJsonString();
        }

        var code = mediaType is "application/problem+json" or "application/fhir+json" ? Security.AuthorizationMatrixTests.ProblemCode(body) : null;
        return (response.StatusCode, code, body);
    }

    /// <summary>One route, how to fill its path and body, and which roles may call it (of the site's staff).</summary>
    public sealed record Call(
        string Route, Func<Record, string>? Query = null, Func<Record, object>? Body = null, Func<Record, Task<string>>? IfMatch = null,
        Func<Record, Guid>? Session = null, Func<Record, Guid>? Plan = null, bool List = false)
    {
        public bool Allows(string role) => Route switch
        {
            _ when Route.StartsWith("GET /api/v1/audit", StringComparison.Ordinal) => role == "admin",
            "GET /api/v1/reports/adherence" => role is "prescriber" or "admin",
            _ when Route.StartsWith("GET", StringComparison.Ordinal) => role is "nurse" or "prescriber",
            _ => role == "prescriber",
        };
    }

    /// <summary>Site B's patient and every record of it the routes name.</summary>
    public sealed record Record(
        Guid PatientId, string Mrn, Guid PlanId, Guid SecondPlanId, Guid SessionId, Guid SecondSessionId, Guid ThirdSessionId, Guid DoseId,
        Guid WasteId, Guid ObservationId, Guid AdverseEventId, Guid AssessmentId, Guid FlagId, Guid ShareId, Guid SiteC, Guid SiteD,
        string BWitness, Func<string, Task<string>> VersionOf)
    {
        /// <summary>Ids a list must not show to site A.</summary>
        public IReadOnlyList<string> BIds => [PatientId.ToString(), PlanId.ToString(), SecondPlanId.ToString()];

        public Guid Id(string parameter, Call call) => parameter switch
        {
            "id" or "patientId" => PatientId,
            "planId" => call.Plan?.Invoke(this) ?? PlanId,
            "sessionId" => call.Session?.Invoke(this) ?? SessionId,
            "doseId" => DoseId,
            "wasteId" => WasteId,
            "observationId" => ObservationId,
            "adverseEventId" => AdverseEventId,
            "assessmentId" => AssessmentId,
            "flagId" => FlagId,
            "shareId" => ShareId,
            _ => throw new InvalidOperationException($"No id for route parameter {parameter}."),
        };
    }

    /// <summary>The API with sites A, B, C and D, staff at A and at B, and site B's patient record (made once).</summary>
    public sealed class Clinic : ClinicApiFactory
    {
        private Task<Record>? record;

        public IReadOnlyList<(string Role, HttpClient Client)> SiteA { get; private set; } = [];

        public IReadOnlyList<(string Role, HttpClient Client)> SiteB { get; private set; } = [];

        public Task<Record> RecordAsync() => LazyInitializer.EnsureInitialized(ref record, BuildAsync);

        private async Task<Record> BuildAsync()
        {
            var groupAdmin = ClientFor("cross.group-admin", "admin");
            Task<Guid> Site(string name) => SiteData.Create(groupAdmin, name, "America/New_York");
            var (a, b, siteC, siteD) = (await Site("A"), await Site("B"), await Site("C"), await Site("D"));

            string[] roles = ["front-desk", "nurse", "prescriber", "integrator", "admin"];
            SiteA = [.. roles.Select(r => (r, ClientAt($"cross.a.{r}", r, a)))];
            SiteB = [.. roles.Select(r => (r, ClientAt($"cross.b.{r}", r, b)))];
            HttpClient B(string role) => SiteB.Single(s => s.Role == role).Client;

            var data = new TreatmentData(B("front-desk"), B("nurse"), B("prescriber"));
            var mrn = Http.Unique("X").ToUpperInvariant().Replace("-", "", StringComparison.Ordinal)[..12];
            var patientId = (await PatientData.Register(B("front-desk"), PatientData.NewPatient(mrn: mrn)))["id"]!.GetValue<Guid>();
            var plan = await data.Plan(patientId);
            var planId = plan["id"]!.GetValue<Guid>();
            Assert.Equal(b, plan["siteId"]!.GetValue<Guid>());
            var secondPlanId = (await data.Plan(patientId))["id"]!.GetValue<Guid>();
            var sessionId = await data.Session(patientId, planId);
            var secondSessionId = await data.Session(patientId, planId, DateTimeOffset.UtcNow.AddDays(1));
            var thirdSessionId = await data.Session(patientId, planId, DateTimeOffset.UtcNow.AddDays(-2));
            await data.CheckIn(sessionId);
            var dose = await (await data.Dose(B("nurse"), sessionId, TreatmentData.Iv(35m)).EnsureStatus(HttpStatusCode.Created)).ReadObject();
            var waste = await (await B("nurse").PostAsJsonAsync($"/api/v1/sessions/{sessionId}/waste", new
            {
                amountMg = 2m, witnessUserName = "cross.b.prescriber", wastedAt = TreatmentData.CheckInTime.AddMinutes(55), lotNumber = "KET-2026-001",
            }).EnsureStatus(HttpStatusCode.Created)).ReadObject();
            var observation = await data.Bp(sessionId, 126, 84, TreatmentData.CheckInTime.AddMinutes(50));
            var adverse = await (await B("nurse").PostAsJsonAsync($"/api/v1/sessions/{sessionId}/adverse-events",
                new { type = "dizziness", severity = "mild", onsetAt = TreatmentData.CheckInTime.AddMinutes(40) }).EnsureStatus(HttpStatusCode.Created)).ReadObject();
            var assessment = await AssessmentData.Record(B("nurse"), patientId, "phq9", AssessmentData.Phq9(14, item9: 1), DateTimeOffset.UtcNow.AddDays(-1));
            var flags = await (await B("nurse").GetAsync($"/api/v1/patients/{patientId}/safety-flags").EnsureStatus(HttpStatusCode.OK)).ReadObject();
            var share = await (await B("prescriber").PostAsJsonAsync($"/api/v1/patients/{patientId}/shares",
                new { siteId = siteC, reason = "Second opinion at site C." }).EnsureStatus(HttpStatusCode.Created)).ReadObject();

            // The version a site B caller sends in If-Match: the ETag of the resource as B reads it now.
            async Task<string> VersionOf(string path) => (await B("nurse").GetAsync(path).EnsureStatus(HttpStatusCode.OK)).Headers.ETag!.Tag;

            return new Record(patientId, mrn, planId, secondPlanId, sessionId, secondSessionId, thirdSessionId, dose["id"]!.GetValue<Guid>(),
                waste["id"]!.GetValue<Guid>(), observation["id"]!.GetValue<Guid>(), adverse["id"]!.GetValue<Guid>(), assessment["id"]!.GetValue<Guid>(),
                flags["items"]![0]!["id"]!.GetValue<Guid>(), share["id"]!.GetValue<Guid>(), siteC, siteD, "cross.b.nurse", VersionOf);
        }
    }

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex RouteParameter();
}
