using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ClinicTracker.Api.Fhir.Export;
using ClinicTracker.Api.Tests.Infrastructure;
using ClinicTracker.Api.Tests.Outcomes;
using ClinicTracker.Fhir;
using Hl7.Fhir.Model;

namespace ClinicTracker.Api.Tests.Fhir;

/// <summary>
/// The API with the export worker's hosted loop idle (a pass an hour) and batches of two patients: the tests drive the
/// worker themselves (<see cref="FhirExportWorker.RunOnceAsync"/>, or a claim and its batches one by one).
/// </summary>
public sealed class FhirExportFactory : ClinicApiFactory
{
    public const int BatchSize = 2;

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Fhir:Export:PollSeconds"] = "3600",
        ["Fhir:Export:PatientsPerBatch"] = BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public FhirExportWorker Worker => Services.GetRequiredService<FhirExportWorker>();
}

/// <summary>A second API instance on the database of <paramref name="first"/> (started with migrations off, as a second instance is).</summary>
public sealed class SecondExportInstance(FhirExportFactory first) : ClinicApiFactory
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>(first.Database.Settings)
    {
        ["Database:MigrateOnStartup"] = "false",
        ["Fhir:Export:PollSeconds"] = "3600",
        ["Fhir:Export:PatientsPerBatch"] = FhirExportFactory.BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public FhirExportWorker Worker => Services.GetRequiredService<FhirExportWorker>();
}

/// <summary>A site of its own for one test (so no test sees another's patients), its staff and an integrator there.</summary>
internal sealed class ExportSite
{
    private ExportSite(Guid id, TreatmentData data, string integratorName, HttpClient integrator)
    {
        Id = id;
        IntegratorName = integratorName;
        Data = data;
        Integrator = integrator;
    }

    public Guid Id { get; }

    public TreatmentData Data { get; }

    /// <summary>The integrator's user name (registered at the site), for a client of another instance.</summary>
    public string IntegratorName { get; }

    public HttpClient Integrator { get; }

    public static async Task<ExportSite> CreateAsync(ClinicApiFactory factory)
    {
        var id = await SiteData.Create(factory.ClientFor("export.admin", "admin"), "Export");
        var data = new TreatmentData(factory.ClientAt(Http.Unique("fd"), "front-desk", id), factory.ClientAt(Http.Unique("rn"), "nurse", id),
            factory.ClientAt(Http.Unique("dr"), "prescriber", id));
        var integrator = Http.Unique("int");
        return new ExportSite(id, data, integrator, factory.ClientAt(integrator, "integrator", id));
    }

    /// <summary>
    /// A patient whose record holds every exported type: an IV plan (CarePlan), a completed session (Encounter) with a
    /// dose (MedicationAdministration), vitals (Observation) and an adverse event, and a PHQ-9 (an Observation and a
    /// QuestionnaireResponse).
    /// </summary>
    public async Task<Guid> PatientWithWholeRecordAsync()
    {
        var (patientId, _, sessionId) = await Data.CheckedInSession();
        await Data.Dose(Data.Nurse, sessionId, TreatmentData.Iv(35m)).EnsureStatus(HttpStatusCode.Created);
        await Data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/adverse-events",
            new { type = "nausea", severity = "mild", onsetAt = TreatmentData.CheckInTime.AddMinutes(30) }).EnsureStatus(HttpStatusCode.Created);
        await Data.CompleteWithMonitoring(sessionId);
        await AssessmentData.Record(Data.Nurse, patientId, "phq9", AssessmentData.Phq9(12), DateTimeOffset.UtcNow.AddHours(-1));
        return patientId;
    }

    /// <summary>A patient with one plan of this medication and route and nothing else.</summary>
    public async Task<Guid> PatientWithPlanAsync(string medication, string route)
    {
        var patientId = await Data.Patient();
        await Data.Plan(patientId, medication, route);
        return patientId;
    }
}

/// <summary>The client's side of the Bulk Data flow.</summary>
internal static class BulkExport
{
    /// <summary>A kick-off as the IG asks for it: Prefer: respond-async, Accept: application/fhir+json.</summary>
    public static Task<HttpResponseMessage> KickOffAsync(this HttpClient client, string pathAndQuery, bool respondAsync = true, string accept = FhirJson.MediaType)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        if (respondAsync)
        {
            request.Headers.Add("Prefer", "respond-async");
        }

        request.Headers.TryAddWithoutValidation("Accept", accept);
        return client.SendAsync(request);
    }

    /// <summary>Kicks off and returns the status URL (path only, for the test client) after checking the 202.</summary>
    public static async Task<string> StartAsync(this HttpClient client, string pathAndQuery)
    {
        var response = await client.KickOffAsync(pathAndQuery).EnsureStatus(HttpStatusCode.Accepted);
        var location = response.Content.Headers.ContentLocation ?? throw new InvalidOperationException("No Content-Location.");
        Assert.True(location.IsAbsoluteUri, $"Content-Location must be absolute: {location}");
        return location.PathAndQuery;
    }

    /// <summary>The job id at the end of a status URL.</summary>
    public static Guid JobId(string statusPath) => Guid.Parse(statusPath[(statusPath.LastIndexOf('/') + 1)..]);

    /// <summary>Polls once the worker has nothing left to do: the manifest.</summary>
    public static async Task<JsonObject> ManifestAsync(this HttpClient client, string statusPath)
    {
        var response = await client.GetAsync(statusPath).EnsureStatus(HttpStatusCode.OK);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return await response.ReadObject();
    }

    /// <summary>Runs every queued job to its end and returns the manifest of this one.</summary>
    public static async Task<JsonObject> FinishAsync(this HttpClient client, FhirExportFactory factory, string statusPath)
    {
        await factory.Worker.RunOnceAsync(CancellationToken.None);
        return await client.ManifestAsync(statusPath);
    }

    /// <summary>The output entries of a manifest: (type, path, count).</summary>
    public static List<(string Type, string Path, int Count)> Files(JsonObject manifest) =>
        [.. manifest["output"]!.AsArray().Select(f => (f!["type"]!.GetValue<string>(), new Uri(f["url"]!.GetValue<string>()).PathAndQuery, f["count"]!.GetValue<int>()))];

    /// <summary>Downloads a file and returns its lines; gzip asks for the stored bytes as they are and decompresses them here.</summary>
    public static async Task<List<string>> LinesAsync(this HttpClient client, string path, bool gzip = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (gzip)
        {
            request.Headers.Add("Accept-Encoding", "gzip");
        }

        var response = await client.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            Assert.Fail($"Expected 200 for {path}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        Assert.Equal(FhirJson.NdjsonMediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(gzip ? ["gzip"] : [], response.Content.Headers.ContentEncoding);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        if (gzip)
        {
            using var decompressed = new MemoryStream();
            using (var stream = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress))
            {
                stream.CopyTo(decompressed);
            }

            bytes = decompressed.ToArray();
        }

        var text = Encoding.UTF8.GetString(bytes);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    /// <summary>Every resource of a complete export, each file's lines parsed strictly, counts and types checked against the manifest.</summary>
    public static async Task<List<Resource>> ResourcesAsync(this HttpClient client, JsonObject manifest)
    {
        var resources = new List<Resource>();
        foreach (var (type, path, count) in Files(manifest))
        {
            var lines = await client.LinesAsync(path);
            Assert.Equal(count, lines.Count);
            var parsed = lines.Select(FhirJson.Parse<Resource>).ToList();
            Assert.All(parsed, r => Assert.Equal(type, r.TypeName));
            resources.AddRange(parsed);
        }

        return resources;
    }

    /// <summary>The patient a resource belongs to (the Patient itself, or its subject/patient reference).</summary>
    public static Guid PatientOf(Resource resource) => resource switch
    {
        Patient p => Guid.Parse(p.Id!),
        CarePlan c => Reference(c.Subject),
        Encounter e => Reference(e.Subject),
        MedicationAdministration m => Reference(m.Subject),
        Observation o => Reference(o.Subject),
        QuestionnaireResponse q => Reference(q.Subject),
        AdverseEvent a => Reference(a.Subject),
        _ => throw new InvalidOperationException($"Unexpected {resource.TypeName}"),
    };

    private static Guid Reference(ResourceReference? reference) =>
        Guid.Parse(reference!.Reference!["Patient/".Length..]);
}
