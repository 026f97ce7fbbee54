using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ClinicTracker.Api.Tests.Infrastructure;
using ClinicTracker.Api.Tests.Outcomes;
using ClinicTracker.Fhir;
using ClinicTracker.Fhir.Tests;

namespace ClinicTracker.Api.Tests.Fhir;

/// <summary>
/// The FHIR R4 endpoint through HTTP on the real database (docs/fhir.md): one patient's record made through the v1 API
/// as the clinic would make it, then read, searched and exported as FHIR. Every resource the endpoint serves is
/// validated with the Firely validator (offline R4 specification, vital-signs profiles included): zero errors.
/// </summary>
public sealed class FhirEndpointTests(FhirEndpointTests.Clinic clinic) : IClassFixture<FhirEndpointTests.Clinic>
{
    private const string Fhir = "/fhir/r4";

    [Fact]
    public async Task Metadata_IsAnonymous_AndListsExactlyWhatIsSupported_AsAValidCapabilityStatement()
    {
        var response = await clinic.CreateClient().GetAsync($"{Fhir}/metadata");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(FhirJson.MediaType, response.Content.Headers.ContentType!.MediaType);
        var json = await response.Content.ReadAsStringAsync();
        Assert.Empty(FhirValidation.Errors(FhirJson.Parse<Hl7.Fhir.Model.Resource>(json)));
        var statement = JsonNode.Parse(json)!;
        Assert.Equal("4.0.1", statement["fhirVersion"]!.GetValue<string>());
        var resources = statement["rest"]![0]!["resource"]!.AsArray().ToDictionary(r => r!["type"]!.GetValue<string>(), r => r!);
        Assert.Equal(["AdverseEvent", "CarePlan", "Encounter", "Group", "MedicationAdministration", "Observation", "Patient", "QuestionnaireResponse"],
            resources.Keys.Order());
        string[] Params(string type) => [.. resources[type]["searchParam"]?.AsArray().Select(p => p!["name"]!.GetValue<string>()) ?? []];
        Assert.Equal(["identifier"], Params("Patient"));
        Assert.Equal(["patient", "date"], Params("Encounter"));
        Assert.Equal(["patient", "effective-time", "status"], Params("MedicationAdministration"));
        Assert.Equal(["patient", "category", "code", "date"], Params("Observation"));
        Assert.Empty(Params("CarePlan"));
        Assert.Equal(["everything", "export"], resources["Patient"]["operation"]!.AsArray().Select(o => o!["name"]!.GetValue<string>()));
        Assert.Equal("http://localhost/fhir/r4", statement["implementation"]!["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task EverySearchParameterTheStatementLists_Works_AndOneItDoesNotList_IsRefused()
    {
        var c = await clinic.RecordAsync();
        var statement = JsonNode.Parse(await clinic.CreateClient().GetStringAsync($"{Fhir}/metadata"))!;
        foreach (var resource in statement["rest"]![0]!["resource"]!.AsArray())
        {
            var type = resource!["type"]!.GetValue<string>();
            foreach (var parameter in resource["searchParam"]?.AsArray() ?? [])
            {
                var name = parameter!["name"]!.GetValue<string>();
                var value = name switch
                {
                    "identifier" => c.Mrn,
                    "patient" => c.PatientId.ToString(),
                    "date" or "effective-time" => "ge2000-01-01",
                    "status" => "completed",
                    "category" => "vital-signs",
                    _ => "8867-4",
                };
                var query = name is "identifier" or "patient" ? $"{name}={value}" : $"patient={c.PatientId}&{name}={value}";
                var response = await clinic.Nurse.GetAsync($"{Fhir}/{type}?{query}");
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{type}?{query}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }

        var refused = await clinic.Nurse.GetAsync($"{Fhir}/Encounter?patient={c.PatientId}&_sort=date");
        await AssertOutcome(refused, HttpStatusCode.BadRequest, "invalid", "bad-request");
    }

    [Fact]
    public async Task Everything_IsTheWholeRecord_AndEveryResourceInIt_ValidatesWithZeroErrors_AndReadsTheSameById()
    {
        var c = await clinic.RecordAsync();

        var bundle = await Bundle(clinic.Integrator, $"{Fhir}/Patient/{c.PatientId}/$everything");

        Assert.Equal("searchset", bundle["type"]!.GetValue<string>());
        var entries = bundle["entry"]!.AsArray();
        var byType = entries.GroupBy(e => e!["resource"]!["resourceType"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.Count());
        // 2 sessions; 2 doses (one voided); 3 BPs + HR + SpO2 + CADSS + MOAA/S + PHQ-9 + MADRS; 2 questionnaires; 1 adverse event.
        Assert.Equal(new Dictionary<string, int>
        {
            ["Patient"] = 1, ["CarePlan"] = 1, ["Encounter"] = 2, ["MedicationAdministration"] = 2, ["Observation"] = 9,
            ["QuestionnaireResponse"] = 2, ["AdverseEvent"] = 1,
        }, byType);
        var errors = new List<string>();
        foreach (var entry in entries)
        {
            var resource = entry!["resource"]!;
            var (type, id) = (resource["resourceType"]!.GetValue<string>(), resource["id"]!.GetValue<string>());
            Assert.Equal($"http://localhost{Fhir}/{type}/{id}", entry["fullUrl"]!.GetValue<string>());
            errors.AddRange(FhirValidation.Errors(FhirJson.Parse<Hl7.Fhir.Model.Resource>(resource.ToJsonString())));
            var read = await clinic.Integrator.GetAsync($"{Fhir}/{type}/{id}");
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.True(JsonNode.DeepEquals(resource, JsonNode.Parse(await read.Content.ReadAsStringAsync())), $"{type}/{id} reads differently by id");
        }

        // The Bundle itself is a resource the endpoint produces too.
        errors.AddRange(FhirValidation.Errors(FhirJson.Parse<Hl7.Fhir.Model.Resource>(bundle.ToJsonString())));
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task Everything_TakesTypeAndSince()
    {
        var c = await clinic.RecordAsync();

        var onlyDoses = await Bundle(clinic.Nurse, $"{Fhir}/Patient/{c.PatientId}/$everything?_type=MedicationAdministration");
        var future = await Bundle(clinic.Nurse, $"{Fhir}/Patient/{c.PatientId}/$everything?_since={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(1).ToString("O"))}");

        Assert.Equal(["MedicationAdministration", "MedicationAdministration"], Types(onlyDoses));
        Assert.Empty(Types(future));
        await AssertOutcome(await clinic.Nurse.GetAsync($"{Fhir}/Patient/{c.PatientId}/$everything?_type=Practitioner"), HttpStatusCode.BadRequest, "invalid", "bad-request");
        await AssertOutcome(await clinic.Nurse.GetAsync($"{Fhir}/Patient/{c.PatientId}/$everything?_since=2026-01-01"), HttpStatusCode.BadRequest, "invalid", "bad-request");
    }

    [Fact]
    public async Task Dose_IsAnInfusionWithItsLotRouteAndRate_AndTheVoidedOneIsEnteredInError()
    {
        var c = await clinic.RecordAsync();

        var infusion = await Resource(clinic.Nurse, $"{Fhir}/MedicationAdministration/{c.DoseId}");
        var voided = await Resource(clinic.Nurse, $"{Fhir}/MedicationAdministration/{c.VoidedDoseId}");

        Assert.Equal("completed", infusion["status"]!.GetValue<string>());
        // PostgreSQL keeps microseconds: the instant as stored, to the millisecond.
        Assert.Equal(TreatmentData.CheckInTime.AddMinutes(10), DateTimeOffset.Parse(infusion["effectivePeriod"]!["start"]!.GetValue<string>(),
            System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromMilliseconds(1));
        Assert.Equal("47625008", infusion["dosage"]!["route"]!["coding"]![0]!["code"]!.GetValue<string>());
        Assert.Equal(35m, infusion["dosage"]!["dose"]!["value"]!.GetValue<decimal>());
        Assert.Equal(0.875m, infusion["dosage"]!["rateQuantity"]!["value"]!.GetValue<decimal>()); // 35 mg / 40 min
        Assert.Equal("KET-2026-001", infusion["contained"]![0]!["batch"]!["lotNumber"]!.GetValue<string>());
        Assert.Equal($"Encounter/{c.SessionId}", infusion["context"]!["reference"]!.GetValue<string>());
        Assert.Equal("entered-in-error", voided["status"]!.GetValue<string>());
        Assert.Equal("Entered in error: Wrong syringe recorded.", voided["note"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Reads_OfUnknownIds_AreNotFoundOutcomes_AndTheFrontDeskAndAnonymousAreRefusedAsOutcomes()
    {
        var c = await clinic.RecordAsync();

        await AssertOutcome(await clinic.Nurse.GetAsync($"{Fhir}/Encounter/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "not-found", "not-found");
        await AssertOutcome(await clinic.Nurse.GetAsync($"{Fhir}/Observation/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "not-found", "not-found");
        await AssertOutcome(await clinic.Nurse.GetAsync($"{Fhir}/Patient/not-a-guid"), HttpStatusCode.NotFound, "not-found", "not-found");
        await AssertOutcome(await clinic.FrontDesk.GetAsync($"{Fhir}/Patient/{c.PatientId}"), HttpStatusCode.Forbidden, "forbidden", "auth.forbidden");
        await AssertOutcome(await clinic.CreateClient().GetAsync($"{Fhir}/Patient/{c.PatientId}"), HttpStatusCode.Unauthorized, "login", "auth.unauthenticated");
    }

    [Fact]
    public async Task PatientSearch_FindsByMrn_WithOrWithoutTheClinicsSystem()
    {
        var c = await clinic.RecordAsync();

        var plain = await Bundle(clinic.Integrator, $"{Fhir}/Patient?identifier={c.Mrn.ToLowerInvariant()}");
        var withSystem = await Bundle(clinic.Integrator, $"{Fhir}/Patient?identifier={Uri.EscapeDataString("https://clinictracker.example/fhir/r4/sid/mrn|" + c.Mrn)}");
        var otherSystem = await Bundle(clinic.Integrator, $"{Fhir}/Patient?identifier={Uri.EscapeDataString("http://other.example/mrn|" + c.Mrn)}");

        Assert.Equal(c.PatientId.ToString(), Assert.Single(plain["entry"]!.AsArray())!["resource"]!["id"]!.GetValue<string>());
        Assert.Single(withSystem["entry"]!.AsArray());
        Assert.Null(otherSystem["entry"]);
        await AssertOutcome(await clinic.Integrator.GetAsync($"{Fhir}/Patient"), HttpStatusCode.BadRequest, "invalid", "bad-request");
    }

    [Fact]
    public async Task EncounterSearch_FiltersByDate_AndPagesThroughEverySessionByNextLinks()
    {
        var c = await clinic.RecordAsync();

        var past = await Bundle(clinic.Nurse, $"{Fhir}/Encounter?patient=Patient/{c.PatientId}&date=lt{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ssZ}");
        Assert.Equal([c.SessionId.ToString()], Ids(past));

        var seen = new List<string>();
        string? next = $"{Fhir}/Encounter?patient={c.PatientId}&_count=1";
        var pages = 0;
        while (next is not null)
        {
            var page = await Bundle(clinic.Nurse, next);
            seen.AddRange(Ids(page));
            next = page["link"]!.AsArray().FirstOrDefault(l => l!["relation"]!.GetValue<string>() == "next")?["url"]!.GetValue<string>();
            pages++;
        }

        Assert.Equal([c.SessionId.ToString(), c.PlannedSessionId.ToString()], seen);
        Assert.Equal(2, pages);
    }

    [Fact]
    public async Task MedicationAdministrationSearch_FiltersByStatusAndEffectiveTime()
    {
        var c = await clinic.RecordAsync();
        var at = TreatmentData.CheckInTime.AddMinutes(30).ToString("yyyy-MM-ddTHH:mm:ssZ");

        Assert.Equal([c.VoidedDoseId.ToString()], Ids(await Bundle(clinic.Nurse, $"{Fhir}/MedicationAdministration?patient={c.PatientId}&status=entered-in-error")));
        Assert.Equal([c.DoseId.ToString(), c.VoidedDoseId.ToString()],
            Ids(await Bundle(clinic.Nurse, $"{Fhir}/MedicationAdministration?patient={c.PatientId}&status=completed,entered-in-error")));
        Assert.Equal([c.VoidedDoseId.ToString()], Ids(await Bundle(clinic.Nurse, $"{Fhir}/MedicationAdministration?patient={c.PatientId}&effective-time=gt{at}")));
        Assert.Equal([c.DoseId.ToString()], Ids(await Bundle(clinic.Nurse, $"{Fhir}/MedicationAdministration?patient={c.PatientId}&effective-time=le{at}")));
        await AssertOutcome(await clinic.Nurse.GetAsync($"{Fhir}/MedicationAdministration?patient={c.PatientId}&status=stopped"), HttpStatusCode.BadRequest, "invalid", "bad-request");
    }

    [Fact]
    public async Task ObservationSearch_SelectsByCategoryCodeAndDate_AcrossObservationsAndAssessments()
    {
        var c = await clinic.RecordAsync();
        string Url(string query) => $"{Fhir}/Observation?patient={c.PatientId}&{query}";

        var vitals = await Bundle(clinic.Nurse, Url("category=vital-signs"));
        var surveys = await Bundle(clinic.Nurse, Url("category=survey"));
        var phq9 = await Bundle(clinic.Nurse, Url("code=http://loinc.org|44261-6"));
        var heartRate = await Bundle(clinic.Nurse, Url("code=8867-4&category=vital-signs"));
        var bpOrMoaas = await Bundle(clinic.Nurse, Url("code=85354-9,moaas"));
        var none = await Bundle(clinic.Nurse, Url("code=8867-4&category=survey"));

        Assert.Equal(5, Ids(vitals).Count); // 3 BPs, heart rate, SpO2
        Assert.Equal(3, Ids(surveys).Count); // CADSS, PHQ-9, MADRS
        Assert.Equal([c.Phq9Id.ToString()], Ids(phq9));
        Assert.Equal([c.HeartRateId.ToString()], Ids(heartRate));
        Assert.Equal(4, Ids(bpOrMoaas).Count);
        Assert.Empty(Ids(none));

        // Paging merges the two tables in time order: every observation once, 2 per page.
        var seen = new List<string>();
        string? next = Url("_count=2");
        while (next is not null)
        {
            var page = await Bundle(clinic.Nurse, next);
            seen.AddRange(Ids(page));
            next = page["link"]!.AsArray().FirstOrDefault(l => l!["relation"]!.GetValue<string>() == "next")?["url"]!.GetValue<string>();
        }

        Assert.Equal(9, seen.Count);
        Assert.Equal(9, seen.Distinct().Count());
    }

    [Theory]
    [InlineData("Encounter?date=ge2026-01-01", "patient")]
    [InlineData("Encounter?patient={p}&date=2026-13-01", "date")]
    [InlineData("Encounter?patient={p}&date=ne2026-01-01", "prefix")]
    [InlineData("Encounter?patient={p}&_count=0", "_count")]
    [InlineData("Encounter?patient={p}&_cursor=bm90LWEtY3Vyc29y", "_cursor")]
    [InlineData("Observation?patient={p}&_include=Observation:subject", "_include")]
    [InlineData("Observation?patient={p}&_format=xml", "JSON")]
    public async Task BadSearches_AreOutcomesNamingWhatIsWrong(string query, string named)
    {
        var c = await clinic.RecordAsync();

        var response = await clinic.Nurse.GetAsync($"{Fhir}/{query.Replace("{p}", c.PatientId.ToString(), StringComparison.Ordinal)}");

        var outcome = await AssertOutcome(response, named == "JSON" ? HttpStatusCode.NotAcceptable : HttpStatusCode.BadRequest, null, null);
        Assert.Contains(named, outcome["issue"]![0]!["diagnostics"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FhirReadsAndSearches_AreAuditedWithThePatientTheyShowed()
    {
        var c = await clinic.RecordAsync();
        await clinic.Integrator.GetAsync($"{Fhir}/Patient/{c.PatientId}");
        await clinic.Integrator.GetAsync($"{Fhir}/Observation?patient={c.PatientId}");
        await clinic.Integrator.GetAsync($"{Fhir}/QuestionnaireResponse/{c.Phq9Id}");
        await clinic.Integrator.GetAsync($"{Fhir}/Patient/{c.PatientId}/$everything");

        var audit = await (await clinic.Admin.GetAsync($"/api/v1/audit?patientId={c.PatientId}&limit=200").EnsureStatus(HttpStatusCode.OK)).ReadObject();

        var fhir = audit["items"]!.AsArray().Where(e => e!["userName"]!.GetValue<string>() == "fhir.integrator")
            .Select(e => (Action: e!["action"]!.GetValue<string>(), Patient: e["patientId"]!.GetValue<Guid>(), Status: e["status"]!.GetValue<int>())).ToList();
        foreach (var action in new[] { "FhirReadPatient", "FhirSearchObservation", "FhirReadQuestionnaireResponse", "FhirPatientEverything" })
        {
            Assert.Contains((action, c.PatientId, 200), fhir);
        }
    }

    private static List<string> Types(JsonNode bundle) =>
        [.. bundle["entry"]?.AsArray().Select(e => e!["resource"]!["resourceType"]!.GetValue<string>()) ?? []];

    private static List<string> Ids(JsonNode bundle) =>
        [.. bundle["entry"]?.AsArray().Select(e => e!["resource"]!["id"]!.GetValue<string>()) ?? []];

    private static async Task<JsonNode> Bundle(HttpClient client, string url)
    {
        var bundle = await Resource(client, url);
        Assert.Equal("Bundle", bundle["resourceType"]!.GetValue<string>());
        return bundle;
    }

    private static async Task<JsonNode> Resource(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {body}");
        Assert.Equal(FhirJson.MediaType, response.Content.Headers.ContentType!.MediaType);
        return JsonNode.Parse(body)!;
    }

    /// <summary>Asserts an OperationOutcome error with this status, FHIR issue type and ClinicTracker problem code; returns it.</summary>
    internal static async Task<JsonNode> AssertOutcome(HttpResponseMessage response, HttpStatusCode status, string? issueType, string? code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal(FhirJson.MediaType, response.Content.Headers.ContentType?.MediaType);
        var outcome = JsonNode.Parse(body)!;
        Assert.Equal("OperationOutcome", outcome["resourceType"]!.GetValue<string>());
        Assert.Empty(FhirValidation.Errors(FhirJson.Parse<Hl7.Fhir.Model.Resource>(body)));
        var issue = outcome["issue"]![0]!;
        Assert.Equal("error", issue["severity"]!.GetValue<string>());
        if (issueType is not null)
        {
            Assert.Equal(issueType, issue["code"]!.GetValue<string>());
        }

        if (code is not null)
        {
            Assert.Equal(code, issue["details"]!["coding"]![0]!["code"]!.GetValue<string>());
        }

        return outcome;
    }

    /// <summary>The record every test reads: ids of what the clinic recorded through the v1 API.</summary>
    public sealed record Record(
        Guid PatientId, string Mrn, Guid PlanId, Guid SessionId, Guid PlannedSessionId, Guid DoseId, Guid VoidedDoseId, Guid HeartRateId,
        Guid AdverseEventId, Guid Phq9Id, Guid MadrsId);

    /// <summary>The API with one patient's IV course recorded the way the clinic records it (made once per test class).</summary>
    public sealed class Clinic : ClinicApiFactory
    {
        private Task<Record>? record;

        public HttpClient Nurse => field ??= ClientFor("fhir.nurse", "nurse");

        public HttpClient Integrator => field ??= ClientFor("fhir.integrator", "integrator");

        public HttpClient FrontDesk => field ??= ClientFor("fhir.frontdesk", "front-desk");

        public HttpClient Admin => field ??= ClientFor("fhir.admin", "admin");

        public Task<Record> RecordAsync() => LazyInitializer.EnsureInitialized(ref record, BuildAsync);

        private async Task<Record> BuildAsync()
        {
            var data = new TreatmentData(this);
            var mrn = Http.Unique("F").ToUpperInvariant().Replace("-", "", StringComparison.Ordinal)[..12];
            var patientId = (await PatientData.Register(data.FrontDesk, PatientData.NewPatient(mrn: mrn)))["id"]!.GetValue<Guid>();
            var planId = (await data.Plan(patientId))["id"]!.GetValue<Guid>();
            var sessionId = await data.Session(patientId, planId);
            var plannedId = await data.Session(patientId, planId, DateTimeOffset.UtcNow.AddDays(2));
            await data.CheckIn(sessionId);
            var dose = await (await data.Dose(data.Nurse, sessionId, TreatmentData.Iv(35m)).EnsureStatus(HttpStatusCode.Created)).ReadObject();
            var second = await (await data.Dose(data.Nurse, sessionId, TreatmentData.Iv(5m, minutes: 30, startMinutesAfterCheckIn: 55))
                .EnsureStatus(HttpStatusCode.Created)).ReadObject();
            await data.Prescriber.PostAsJsonAsync($"/api/v1/doses/{second["id"]}/void", new { reason = "Wrong syringe recorded." }).EnsureStatus(HttpStatusCode.OK);
            async Task<Guid> Observe(object body) =>
                (await (await data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/observations", body).EnsureStatus(HttpStatusCode.Created)).ReadObject())["id"]!.GetValue<Guid>();
            var heartRate = await Observe(new { kind = "heart-rate", value = 78, observedAt = TreatmentData.CheckInTime.AddMinutes(20) });
            await Observe(new { kind = "spo2", value = 97, observedAt = TreatmentData.CheckInTime.AddMinutes(20) });
            await Observe(new { kind = "cadss", value = 9, observedAt = TreatmentData.CheckInTime.AddMinutes(60) });
            await Observe(new { kind = "moaas", value = 4, observedAt = TreatmentData.CheckInTime.AddMinutes(60) });
            var adverse = await (await data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/adverse-events",
                new { type = "nausea", severity = "moderate", onsetAt = TreatmentData.CheckInTime.AddMinutes(40), description = "Nausea after the infusion." })
                .EnsureStatus(HttpStatusCode.Created)).ReadObject();
            await data.CompleteWithMonitoring(sessionId);
            var phq9 = await AssessmentData.Record(data.Nurse, patientId, "phq9", AssessmentData.Phq9(16), TreatmentData.CheckInTime.AddDays(-1));
            var madrs = await AssessmentData.Record(data.Nurse, patientId, "madrs", AssessmentData.Madrs(30), TreatmentData.CheckInTime.AddDays(-1).AddMinutes(30));
            return new Record(patientId, mrn, planId, sessionId, plannedId, dose["id"]!.GetValue<Guid>(), second["id"]!.GetValue<Guid>(), heartRate,
                adverse["id"]!.GetValue<Guid>(), phq9["id"]!.GetValue<Guid>(), madrs["id"]!.GetValue<Guid>());
        }
    }
}
