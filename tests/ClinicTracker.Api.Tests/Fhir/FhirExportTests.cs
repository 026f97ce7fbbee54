using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ClinicTracker.Api.Fhir.Export;
using ClinicTracker.Api.Tests.Infrastructure;
using ClinicTracker.Fhir;
using ClinicTracker.Fhir.Tests;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;

namespace ClinicTracker.Api.Tests.Fhir;

/// <summary>
/// Bulk FHIR export (Bulk Data Access IG v2; ADR 0019) through HTTP, on each provider: the kick-off's refusals, the
/// whole flow from 202 to the downloaded files, what _type, _since and the groups select, the caller's sites, the
/// owner-only job, cancellation and expiry, the audit rows of the exported patients, and workers racing for one job.
/// Every test works at a site of its own, so it sees only its own patients; the worker is driven by the tests.
/// </summary>
public sealed class FhirExportTests(FhirExportFactory factory) : IClassFixture<FhirExportFactory>
{
    private static readonly string[] AllTypes = [.. FhirMapper.RecordTypes];

    [Fact]
    public async Task KickOff_RefusesWhatTheIgDoesNotAllow_AndQueuesNothing()
    {
        var site = await ExportSite.CreateAsync(factory);
        var integrator = site.Integrator;

        await AssertOutcome(await integrator.KickOffAsync("/fhir/r4/Patient/$export", respondAsync: false), HttpStatusCode.BadRequest, "respond-async");
        await AssertOutcome(await integrator.KickOffAsync("/fhir/r4/Patient/$export", accept: "application/xml"), HttpStatusCode.NotAcceptable);
        await AssertOutcome(await integrator.KickOffAsync("/fhir/r4/Patient/$export?_outputFormat=text/csv"), HttpStatusCode.BadRequest, "_outputFormat");
        foreach (var parameter in new[] { "_elements=id", "_typeFilter=Observation%3Fcategory%3Dsurvey", "patient=Patient/123", "_format=json" })
        {
            await AssertOutcome(await integrator.KickOffAsync($"/fhir/r4/Patient/$export?{parameter}"), HttpStatusCode.BadRequest, parameter.Split('=')[0]);
        }

        await AssertOutcome(await integrator.KickOffAsync("/fhir/r4/Patient/$export?_type=Basic"), HttpStatusCode.BadRequest, "Basic");
        await AssertOutcome(await integrator.KickOffAsync("/fhir/r4/Patient/$export?_since=2026-03-01"), HttpStatusCode.BadRequest, "_since");
        await AssertOutcome(await integrator.KickOffAsync("/fhir/r4/Group/ketamine-rectal/$export"), HttpStatusCode.NotFound, "ketamine-intravenous");
        await AssertOutcome(await integrator.KickOffAsync("/fhir/r4/Group/esketamine-oral/$export"), HttpStatusCode.NotFound);
        await AssertOutcome(await site.Data.FrontDesk.KickOffAsync("/fhir/r4/Patient/$export"), HttpStatusCode.Forbidden);

        Assert.Equal(0L, Convert.ToInt64(await factory.Database.ScalarAsync(
            $"SELECT COUNT(*) FROM export_jobs WHERE \"SiteIds\" = '{site.Id}'"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task KickOff_TakesEachOutputFormatOfTheIg_AndAnyAcceptTheIgAllows()
    {
        var site = await ExportSite.CreateAsync(factory);

        // 202, then cancelled at once (a user has at most five exports in flight).
        async Task Accepted(HttpResponseMessage response)
        {
            var status = (await Task.FromResult(response).EnsureStatus(HttpStatusCode.Accepted)).Content.Headers.ContentLocation!.PathAndQuery;
            await site.Integrator.DeleteAsync(status).EnsureStatus(HttpStatusCode.Accepted);
        }

        // application/fhir+ndjson sent with its "+" unencoded reads as a space: the same request.
        foreach (var format in new[] { "application%2Ffhir%2Bndjson", "application/fhir+ndjson", "application%2Fndjson", "ndjson" })
        {
            await Accepted(await site.Integrator.KickOffAsync($"/fhir/r4/Patient/$export?_outputFormat={format}"));
        }

        foreach (var accept in new[] { "*/*", "application/fhir+json;q=0.9, text/html" })
        {
            await Accepted(await site.Integrator.KickOffAsync("/fhir/r4/Patient/$export", accept: accept));
        }

        var noAccept = new HttpRequestMessage(HttpMethod.Get, "/fhir/r4/Group/clinic/$export");
        noAccept.Headers.Add("Prefer", "respond-async, handling=strict");
        await Accepted(await site.Integrator.SendAsync(noAccept));
    }

    [Fact]
    public async Task KickOff_ToPoll_ToManifest_ToFiles_ExportsEveryTypeOfTheSitesPatients()
    {
        var site = await ExportSite.CreateAsync(factory);
        Guid[] patients = [await site.PatientWithWholeRecordAsync(), await site.Data.Patient(), await site.Data.Patient()];

        var kickOff = await site.Integrator.KickOffAsync("/fhir/r4/Patient/$export?_outputFormat=application%2Ffhir%2Bndjson").EnsureStatus(HttpStatusCode.Accepted);
        var status = kickOff.Content.Headers.ContentLocation!;
        Assert.Equal($"http://localhost/fhir/r4/$export-status/{BulkExport.JobId(status.AbsolutePath)}", status.ToString());

        var queued = await site.Integrator.GetAsync(status.PathAndQuery).EnsureStatus(HttpStatusCode.Accepted);
        Assert.Equal("queued: 0 of 3 patients", Assert.Single(queued.Headers.GetValues("X-Progress")));
        Assert.Equal(TimeSpan.FromSeconds(3600), queued.Headers.RetryAfter?.Delta);

        // One batch of two, then the rest: the poll in between says how far it got.
        var claim = await factory.Worker.ClaimAsync(CancellationToken.None);
        Assert.NotNull(claim);
        Assert.Equal(ExportBatchOutcome.Progressed, await factory.Worker.RunBatchAsync(claim, CancellationToken.None));
        var running = await site.Integrator.GetAsync(status.PathAndQuery).EnsureStatus(HttpStatusCode.Accepted);
        Assert.Equal("2 of 3 patients", Assert.Single(running.Headers.GetValues("X-Progress")));
        Assert.Equal(ExportBatchOutcome.Finished, await factory.Worker.RunBatchAsync(claim, CancellationToken.None));

        var response = await site.Integrator.GetAsync(status.PathAndQuery).EnsureStatus(HttpStatusCode.OK);
        Assert.True(response.Content.Headers.Expires > DateTimeOffset.UtcNow.AddHours(23), $"Expires {response.Content.Headers.Expires}");
        var manifest = await response.ReadObject();
        Assert.Equal("http://localhost/fhir/r4/Patient/$export?_outputFormat=application%2Ffhir%2Bndjson", manifest["request"]!.GetValue<string>());
        Assert.True(manifest["requiresAccessToken"]!.GetValue<bool>());
        Assert.Empty(manifest["error"]!.AsArray());
        var transactionTime = DateTimeOffset.Parse(manifest["transactionTime"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(transactionTime, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow);

        var resources = await site.Integrator.ResourcesAsync(manifest);
        Assert.Equal(AllTypes.Order(), resources.Select(r => r.TypeName).Distinct().Order());
        Assert.Equal(patients.Order(), resources.OfType<Patient>().Select(p => Guid.Parse(p.Id!)).Order());
        Assert.All(resources, r => Assert.Contains(BulkExport.PatientOf(r), patients));
        // Each type's files together hold each resource once (a batch is never written twice).
        Assert.Equal(resources.Count, resources.Select(r => (r.TypeName, r.Id)).Distinct().Count());
        foreach (var sample in resources.GroupBy(r => r.TypeName).Select(g => g.First()))
        {
            Assert.Empty(FhirValidation.Errors(sample));
        }
    }

    [Fact]
    public async Task Type_AndSince_NarrowTheFiles()
    {
        var site = await ExportSite.CreateAsync(factory);
        var before = await site.PatientWithWholeRecordAsync();
        await Task.Delay(50);
        var since = DateTimeOffset.UtcNow;
        await Task.Delay(50);
        var after = await site.PatientWithWholeRecordAsync();

        var typed = await site.Integrator.FinishAsync(factory, await site.Integrator.StartAsync("/fhir/r4/Patient/$export?_type=Patient,Encounter"));
        var typedResources = await site.Integrator.ResourcesAsync(typed);
        Assert.Equal(["Encounter", "Patient"], typedResources.Select(r => r.TypeName).Distinct().Order());
        Assert.Equal(new[] { before, after }.Order(), typedResources.OfType<Patient>().Select(p => Guid.Parse(p.Id!)).Order());

        var recent = await site.Integrator.FinishAsync(factory,
            await site.Integrator.StartAsync($"/fhir/r4/Patient/$export?_since={Uri.EscapeDataString(since.ToString("O"))}&_type=Patient&_type=CarePlan,MedicationAdministration"));
        var recentResources = await site.Integrator.ResourcesAsync(recent);
        Assert.Equal(["CarePlan", "MedicationAdministration", "Patient"], recentResources.Select(r => r.TypeName).Distinct().Order());
        Assert.All(recentResources, r => Assert.Equal(after, BulkExport.PatientOf(r)));
        Assert.All(recentResources, r => Assert.True(r.Meta!.LastUpdated >= since, $"{r.TypeName}/{r.Id} changed {r.Meta!.LastUpdated}, before {since:O}"));
    }

    [Fact]
    public async Task PlanTypeGroup_ExportsOnlyThePatientsWithSuchAPlan_AndTheClinicGroupAll()
    {
        var site = await ExportSite.CreateAsync(factory);
        var iv = await site.PatientWithPlanAsync("ketamine", "intravenous");
        var spray = await site.PatientWithPlanAsync("esketamine", "intranasal");
        var none = await site.Data.Patient();

        var esketamine = await site.Integrator.FinishAsync(factory, await site.Integrator.StartAsync("/fhir/r4/Group/esketamine-intranasal/$export"));
        var resources = await site.Integrator.ResourcesAsync(esketamine);
        Assert.Equal([spray], resources.Select(BulkExport.PatientOf).Distinct());
        Assert.Equal("esketamine · intranasal", Assert.Single(resources.OfType<CarePlan>()).Title);

        var oral = await site.Integrator.FinishAsync(factory, await site.Integrator.StartAsync("/fhir/r4/Group/ketamine-oral/$export"));
        Assert.Empty(oral["output"]!.AsArray());

        var clinic = await site.Integrator.FinishAsync(factory, await site.Integrator.StartAsync("/fhir/r4/Group/clinic/$export?_type=Patient"));
        Assert.Equal(new[] { iv, spray, none }.Order(), (await site.Integrator.ResourcesAsync(clinic)).Select(BulkExport.PatientOf).Order());
    }

    [Fact]
    public async Task ACallerAtSiteA_ExportsNoPatientOfSiteB_EvenWhenGrantedSiteBAfterTheKickOff()
    {
        var a = await ExportSite.CreateAsync(factory);
        var b = await ExportSite.CreateAsync(factory);
        var atA = await a.Data.Patient();
        await b.Data.Patient();
        await b.PatientWithPlanAsync("ketamine", "intravenous");
        var admin = factory.ClientFor("export.admin", "admin");
        var userName = Http.Unique("int.a");
        var entry = await (await admin.PostAsJsonAsync("/api/v1/clinicians", new { userName, displayName = "Export A", role = "integrator", sites = new[] { a.Id } })
            .EnsureStatus(HttpStatusCode.Created)).ReadObject();
        var integrator = factory.UnregisteredClientFor(userName, "integrator");

        var clinic = await integrator.StartAsync("/fhir/r4/Patient/$export");
        var ivGroup = await integrator.StartAsync("/fhir/r4/Group/ketamine-intravenous/$export");
        // The register now grants site B too: the queued jobs still export what the caller could see at kick-off.
        await (await admin.PatchAsync($"/api/v1/clinicians/{entry["id"]}", JsonContent.Create(new { sites = new[] { a.Id, b.Id } }))).EnsureSuccess();

        Assert.Equal([atA], (await integrator.ResourcesAsync(await integrator.FinishAsync(factory, clinic))).Select(BulkExport.PatientOf).Distinct());
        Assert.Empty((await integrator.FinishAsync(factory, ivGroup))["output"]!.AsArray());
    }

    [Fact]
    public async Task AnotherUser_GetsNotFound_ForThePoll_TheFiles_AndTheCancel()
    {
        var site = await ExportSite.CreateAsync(factory);
        await site.Data.Patient();
        var status = await site.Integrator.StartAsync("/fhir/r4/Patient/$export");
        var other = factory.ClientAt(Http.Unique("int.other"), "integrator", site.Id);
        await AssertOutcome(await other.GetAsync(status), HttpStatusCode.NotFound);

        var manifest = await site.Integrator.FinishAsync(factory, status);
        var file = BulkExport.Files(manifest)[0].Path;
        await AssertOutcome(await other.GetAsync(status), HttpStatusCode.NotFound);
        await AssertOutcome(await other.GetAsync(file), HttpStatusCode.NotFound);
        await AssertOutcome(await site.Data.Nurse.GetAsync(file), HttpStatusCode.NotFound);
        await AssertOutcome(await other.DeleteAsync(status), HttpStatusCode.NotFound);
        await AssertOutcome(await site.Integrator.GetAsync($"/fhir/r4/$export-status/{Guid.NewGuid()}"), HttpStatusCode.NotFound);

        Assert.Single(await site.Integrator.LinesAsync(file));
    }

    [Fact]
    public async Task Delete_CancelsTheJob_RemovesItsFiles_AndStopsAWorkerBetweenBatches()
    {
        var site = await ExportSite.CreateAsync(factory);
        for (var i = 0; i < 3; i++)
        {
            await site.Data.Patient();
        }

        var done = await site.Integrator.StartAsync("/fhir/r4/Patient/$export");
        var file = BulkExport.Files(await site.Integrator.FinishAsync(factory, done))[0].Path;
        var cancelled = await site.Integrator.DeleteAsync(done).EnsureStatus(HttpStatusCode.Accepted);
        Assert.Equal(FhirJson.MediaType, cancelled.Content.Headers.ContentType?.MediaType);
        await AssertOutcome(await site.Integrator.GetAsync(done), HttpStatusCode.NotFound);
        await AssertOutcome(await site.Integrator.GetAsync(file), HttpStatusCode.NotFound);
        await AssertOutcome(await site.Integrator.DeleteAsync(done), HttpStatusCode.NotFound);
        Assert.Equal(0, await FileRowsAsync(BulkExport.JobId(done)));

        // A running job: cancelled after its first batch, the worker writes nothing more.
        var running = await site.Integrator.StartAsync("/fhir/r4/Patient/$export");
        var claim = (await factory.Worker.ClaimAsync(CancellationToken.None))!;
        Assert.Equal(ExportBatchOutcome.Progressed, await factory.Worker.RunBatchAsync(claim, CancellationToken.None));
        Assert.True(await FileRowsAsync(BulkExport.JobId(running)) > 0);
        await site.Integrator.DeleteAsync(running).EnsureStatus(HttpStatusCode.Accepted);
        Assert.Equal(ExportBatchOutcome.Cancelled, await factory.Worker.RunBatchAsync(claim, CancellationToken.None));
        Assert.Equal(0, await FileRowsAsync(BulkExport.JobId(running)));
        await AssertOutcome(await site.Integrator.GetAsync(running), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Expiry_MakesTheJobNotFound_AndTheCleanUpRemovesItAndItsFiles()
    {
        var site = await ExportSite.CreateAsync(factory);
        await site.Data.Patient();
        var status = await site.Integrator.StartAsync("/fhir/r4/Patient/$export");
        var file = BulkExport.Files(await site.Integrator.FinishAsync(factory, status))[0].Path;
        var jobId = BulkExport.JobId(status);

        await factory.Database.ExecuteAsync($"UPDATE export_jobs SET \"ExpiresAt\" = {PastInstant} WHERE \"Id\" = '{SqlId(jobId)}'");
        await AssertOutcome(await site.Integrator.GetAsync(status), HttpStatusCode.NotFound);
        await AssertOutcome(await site.Integrator.GetAsync(file), HttpStatusCode.NotFound);

        Assert.True(await factory.Worker.RemoveExpiredAsync(CancellationToken.None) >= 1);
        Assert.Equal(0, await FileRowsAsync(jobId));
        Assert.Equal(0L, Convert.ToInt64(await factory.Database.ScalarAsync($"SELECT COUNT(*) FROM export_jobs WHERE \"Id\" = '{SqlId(jobId)}'"),
            System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task GzipAndIdentityDownloads_GiveTheSameLines()
    {
        var site = await ExportSite.CreateAsync(factory);
        await site.PatientWithWholeRecordAsync();
        var manifest = await site.Integrator.FinishAsync(factory, await site.Integrator.StartAsync("/fhir/r4/Patient/$export"));

        foreach (var (_, path, count) in BulkExport.Files(manifest))
        {
            var identity = await site.Integrator.LinesAsync(path);
            Assert.Equal(identity, await site.Integrator.LinesAsync(path, gzip: true));
            Assert.Equal(count, identity.Count);
        }
    }

    [Fact]
    public async Task EveryExportedPatient_HasOneAuditRow_NamingTheJob_OnAnIntactChain()
    {
        var site = await ExportSite.CreateAsync(factory);
        Guid[] patients = [await site.PatientWithWholeRecordAsync(), await site.Data.Patient(), await site.Data.Patient()];
        var status = await site.Integrator.StartAsync("/fhir/r4/Group/clinic/$export");
        await site.Integrator.FinishAsync(factory, status);
        var jobId = BulkExport.JobId(status);
        var admin = factory.ClientAt(Http.Unique("admin.export"), "admin", site.Id);

        foreach (var patientId in patients)
        {
            var page = await (await admin.GetAsync($"/api/v1/audit?patientId={patientId}&limit=200")).EnsureSuccessObject();
            var row = Assert.Single(page["items"]!.AsArray(), r => r!["action"]!.GetValue<string>() == FhirExportWorker.AuditAction)!;
            Assert.Equal(jobId, row["resourceId"]!.GetValue<Guid>());
            Assert.Equal(jobId.ToString(), row["correlationId"]!.GetValue<string>());
            Assert.Equal("/fhir/r4/Group/{groupId}/$export", row["route"]!.GetValue<string>());
            Assert.Equal("GET", row["method"]!.GetValue<string>());
            Assert.Equal("fhir", row["resourceType"]!.GetValue<string>());
            Assert.Equal(200, row["status"]!.GetValue<int>());
            Assert.Equal(site.Id, row["siteId"]!.GetValue<Guid>());
            Assert.Equal(["integrator"], row["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
            Assert.StartsWith("int-", row["userName"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        var verification = await (await factory.ClientFor("export.admin", "admin").GetAsync("/api/v1/audit/verify")).EnsureSuccessObject();
        Assert.True(verification["intact"]!.GetValue<bool>(), verification.ToJsonString());
    }

    [Fact]
    public async Task WorkersRacing_ExportEachPatientOnce_PerJob()
    {
        var site = await ExportSite.CreateAsync(factory);
        var patients = new List<Guid>();
        for (var i = 0; i < 7; i++)
        {
            patients.Add(await site.PatientWithPlanAsync("ketamine", "intravenous"));
        }

        string[] statuses =
        [
            await site.Integrator.StartAsync("/fhir/r4/Patient/$export?_type=Patient"),
            await site.Integrator.StartAsync("/fhir/r4/Group/clinic/$export?_type=Patient,CarePlan"),
            await site.Integrator.StartAsync("/fhir/r4/Group/ketamine-intravenous/$export?_type=Patient"),
        ];
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => factory.Worker.RunOnceAsync(CancellationToken.None))));

        foreach (var status in statuses)
        {
            var resources = await site.Integrator.ResourcesAsync(await site.Integrator.ManifestAsync(status));
            Assert.Equal(patients.Order(), resources.OfType<Patient>().Select(p => Guid.Parse(p.Id!)).Order());
            Assert.Equal(await AuditRowsAsync(BulkExport.JobId(status)), patients.Count);
        }
    }

    [Fact]
    public async Task TwoInstancesOnOneDatabase_AnswerEachOthersPolls_AndTheirWorkersExportEachPatientOnce()
    {
        var site = await ExportSite.CreateAsync(factory);
        var patients = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            patients.Add(await site.Data.Patient());
        }

        using var second = new SecondExportInstance(factory);
        var onSecond = second.UnregisteredClientFor(site.IntegratorName, "integrator");
        string[] statuses =
        [
            await site.Integrator.StartAsync("/fhir/r4/Patient/$export?_type=Patient"),
            await onSecond.StartAsync("/fhir/r4/Group/clinic/$export?_type=Patient"),
        ];
        // Nothing of a job lives in the instance that queued it: the other answers its poll.
        Assert.Equal("queued: 0 of 5 patients", Assert.Single((await onSecond.GetAsync(statuses[0]).EnsureStatus(HttpStatusCode.Accepted)).Headers.GetValues("X-Progress")));

        await Task.WhenAll(
            Task.Run(() => factory.Worker.RunOnceAsync(CancellationToken.None)), Task.Run(() => second.Worker.RunOnceAsync(CancellationToken.None)),
            Task.Run(() => factory.Worker.RunOnceAsync(CancellationToken.None)), Task.Run(() => second.Worker.RunOnceAsync(CancellationToken.None)));

        foreach (var status in statuses)
        {
            // Manifest from one instance, files from the other.
            var resources = await site.Integrator.ResourcesAsync(await onSecond.ManifestAsync(status));
            Assert.Equal(patients.Order(), resources.Select(r => Guid.Parse(r.Id!)).Order());
            Assert.Equal(patients.Count, await AuditRowsAsync(BulkExport.JobId(status)));
        }
    }

    [Fact]
    public async Task AnInstanceWhoseLeaseRanOut_WritesNothing_AndTheOneThatTookOverFinishes()
    {
        var site = await ExportSite.CreateAsync(factory);
        var patients = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            patients.Add(await site.Data.Patient());
        }

        var status = await site.Integrator.StartAsync("/fhir/r4/Patient/$export");
        var jobId = BulkExport.JobId(status);
        var first = (await factory.Worker.ClaimAsync(CancellationToken.None))!;
        Assert.Equal(ExportBatchOutcome.Progressed, await factory.Worker.RunBatchAsync(first, CancellationToken.None));

        // The first instance stalls past its lease; another claims the job and carries on from the first's position.
        await factory.Database.ExecuteAsync($"UPDATE export_jobs SET \"LeaseExpiresAt\" = {PastInstant} WHERE \"Id\" = '{SqlId(jobId)}'");
        var second = await factory.Worker.ClaimAsync(CancellationToken.None);
        Assert.Equal(jobId, second?.JobId);
        Assert.Equal(ExportBatchOutcome.LeaseLost, await factory.Worker.RunBatchAsync(first, CancellationToken.None));
        Assert.Equal(ExportBatchOutcome.Progressed, await factory.Worker.RunBatchAsync(second!, CancellationToken.None));
        Assert.Equal(ExportBatchOutcome.LeaseLost, await factory.Worker.RunBatchAsync(first, CancellationToken.None));
        Assert.Equal(ExportBatchOutcome.Finished, await factory.Worker.RunBatchAsync(second!, CancellationToken.None));

        var resources = await site.Integrator.ResourcesAsync(await site.Integrator.ManifestAsync(status));
        Assert.Equal(patients.Order(), resources.OfType<Patient>().Select(p => Guid.Parse(p.Id!)).Order());
        Assert.Equal(patients.Count, await AuditRowsAsync(jobId));
    }

    [Fact]
    public async Task AFailedBatch_FailsTheJob_With500_NamingIdsNotPatientData()
    {
        var site = await ExportSite.CreateAsync(factory);
        var (patientId, _, sessionId) = await site.Data.CheckedInSession();
        var mrn = (await (await site.Data.Nurse.GetAsync($"/api/v1/patients/{patientId}")).EnsureSuccessObject())["mrn"]!.GetValue<string>();
        var status = await site.Integrator.StartAsync("/fhir/r4/Patient/$export");
        // A row no version of the API writes: mapping it throws, as a bug in the mapping would.
        await factory.Database.ExecuteAsync($"UPDATE treatment_sessions SET \"Status\" = 'Teleported' WHERE \"Id\" = '{SqlId(sessionId)}'");
        try
        {
            await factory.Worker.RunOnceAsync(CancellationToken.None);

            var failed = await site.Integrator.GetAsync(status);
            var outcome = await AssertOutcome(failed, HttpStatusCode.InternalServerError);
            var diagnostics = outcome["issue"]![0]!["diagnostics"]!.GetValue<string>();
            Assert.Contains(BulkExport.JobId(status).ToString(), diagnostics, StringComparison.Ordinal);
            Assert.DoesNotContain(mrn, diagnostics, StringComparison.Ordinal);
            Assert.DoesNotContain("Lovelace", diagnostics, StringComparison.Ordinal);
            Assert.Equal(0, await FileRowsAsync(BulkExport.JobId(status)));
        }
        finally
        {
            await factory.Database.ExecuteAsync($"UPDATE treatment_sessions SET \"Status\" = 'CheckedIn' WHERE \"Id\" = '{SqlId(sessionId)}'");
        }
    }

    [Fact]
    public async Task AUsersExportsInFlight_AreLimited()
    {
        var site = await ExportSite.CreateAsync(factory);
        var started = new List<string>();
        for (var i = 0; i < FhirExportEndpoints.MaxInFlightPerUser; i++)
        {
            started.Add(await site.Integrator.StartAsync("/fhir/r4/Patient/$export"));
        }

        var refused = await site.Integrator.KickOffAsync("/fhir/r4/Patient/$export");
        await AssertOutcome(refused, HttpStatusCode.TooManyRequests);
        Assert.NotNull(refused.Headers.RetryAfter);

        await site.Integrator.DeleteAsync(started[0]).EnsureStatus(HttpStatusCode.Accepted);
        started[0] = await site.Integrator.StartAsync("/fhir/r4/Patient/$export");
        foreach (var status in started)
        {
            await site.Integrator.DeleteAsync(status).EnsureStatus(HttpStatusCode.Accepted);
        }
    }

    /// <summary>An OperationOutcome error with this status (and, if given, diagnostics naming <paramref name="mentions"/>).</summary>
    private static async Task<JsonObject> AssertOutcome(HttpResponseMessage response, HttpStatusCode status, string? mentions = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal(FhirJson.MediaType, response.Content.Headers.ContentType?.MediaType);
        var outcome = FhirJson.Parse<OperationOutcome>(body);
        Assert.Equal(OperationOutcome.IssueSeverity.Error, Assert.Single(outcome.Issue).Severity);
        if (mentions is not null)
        {
            Assert.Contains(mentions, outcome.Issue[0].Diagnostics, StringComparison.Ordinal);
        }

        return JsonNode.Parse(body)!.AsObject();
    }

    private async Task<int> FileRowsAsync(Guid jobId) => Convert.ToInt32(
        await factory.Database.ScalarAsync($"SELECT COUNT(*) FROM export_files WHERE \"JobId\" = '{SqlId(jobId)}'"), System.Globalization.CultureInfo.InvariantCulture);

    private async Task<int> AuditRowsAsync(Guid jobId) => Convert.ToInt32(await factory.Database.ScalarAsync(
        $"SELECT COUNT(*) FROM audit_entries WHERE \"Action\" = '{FhirExportWorker.AuditAction}' AND \"CorrelationId\" = '{jobId}'"),
        System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A GUID as both providers compare it in SQL: SQLite keeps EF's upper-case text, PostgreSQL's uuid reads either case.</summary>
    private static string SqlId(Guid id) => id.ToString().ToUpperInvariant();

    /// <summary>An instant long past, in each provider's stored form (EF's text on SQLite, timestamptz on PostgreSQL).</summary>
    private static string PastInstant => TestProvider.IsPostgres ? "'2000-01-01 00:00:00+00'" : "'2000-01-01 00:00:00'";
}
