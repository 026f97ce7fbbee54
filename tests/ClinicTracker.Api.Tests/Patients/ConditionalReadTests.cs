using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using ClinicTracker.Api.Tests.Infrastructure;
using ClinicTracker.Api.Tests.Outcomes;

namespace ClinicTracker.Api.Tests.Patients;

/// <summary>
/// GET /patients/{id} and GET /sessions/{id} tag the body they send (issue 11): If-None-Match with that tag gets a
/// 304 and no body, audited like the 200; anything that changes the body — a safety flag, a dose, a role that sees
/// less — changes the tag. The tag still starts with the version, so PUT's If-Match keeps working.
/// </summary>
public sealed class ConditionalReadTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    private readonly TreatmentData data = new(factory);

    [Fact]
    public async Task PatientRead_SendsAStrongTagOfItsBody_PrivateNoCache_VaryAuthorization()
    {
        var patientId = await data.Patient();

        var read = await data.Nurse.GetAsync($"/api/v1/patients/{patientId}");

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var tag = read.Headers.ETag!;
        Assert.False(tag.IsWeak);
        // "{version}-{SHA-256 of the body as sent, 16 bytes, base64url}".
        var body = await read.Content.ReadAsByteArrayAsync();
        Assert.Equal($"\"1-{Base64Url(SHA256.HashData(body)[..16])}\"", tag.Tag);
        Assert.True(read.Headers.CacheControl is { Private: true, NoCache: true, NoStore: false }, read.Headers.CacheControl?.ToString());
        Assert.Contains("Authorization", read.Headers.Vary);
    }

    [Fact]
    public async Task PatientRead_WithMatchingIfNoneMatch_Returns304WithTheTagAndNoBody_AndIsAudited()
    {
        var patientId = await data.Patient();
        var tag = (await data.Nurse.GetAsync($"/api/v1/patients/{patientId}")).Headers.ETag!.Tag;

        // The tag itself, its weak form (If-None-Match compares weakly, RFC 9110 §13.1.2), in a list, and "*".
        foreach (var ifNoneMatch in new[] { tag, "W/" + tag, $"\"other\", {tag}", "*" })
        {
            var again = await Get(data.Nurse, $"/api/v1/patients/{patientId}", ifNoneMatch);

            Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
            Assert.Equal(tag, again.Headers.ETag?.Tag);
            Assert.Empty(await again.Content.ReadAsByteArrayAsync());
            Assert.True(again.Headers.CacheControl is { Private: true, NoCache: true }, ifNoneMatch);
        }

        // A 304 is still a read of the record (domain.md §8): one audit row per request, with its patient and status.
        var admin = factory.ClientFor("audit.admin", "admin");
        var rows = (await (await admin.GetAsync($"/api/v1/audit?patientId={patientId}&limit=200").EnsureStatus(HttpStatusCode.OK)).ReadObject())["items"]!.AsArray();
        var reads = rows.Where(r => r!["action"]!.GetValue<string>() == "GetPatient").ToList();
        Assert.Equal(4, reads.Count(r => r!["status"]!.GetValue<int>() == 304));
        Assert.All(reads, r => Assert.Equal("nurse.kim", r!["userName"]!.GetValue<string>()));
        Assert.All(reads, r => Assert.Equal(patientId, r!["resourceId"]!.GetValue<Guid>()));
    }

    [Fact]
    public async Task PatientRead_WithAnotherTag_Returns200AndTheBody()
    {
        var patientId = await data.Patient();
        var tag = (await data.Nurse.GetAsync($"/api/v1/patients/{patientId}")).Headers.ETag!.Tag;

        var stale = await Get(data.Nurse, $"/api/v1/patients/{patientId}", "\"1\"");

        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Equal(tag, stale.Headers.ETag?.Tag);
        Assert.Equal(patientId, (await stale.ReadObject())["id"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task PatientRead_AfterASafetyFlagOpens_Returns200WithANewTag_ThoughThePatientRowIsUnchanged()
    {
        var patientId = await data.Patient();
        var before = (await data.Nurse.GetAsync($"/api/v1/patients/{patientId}")).Headers.ETag!.Tag;

        // PHQ-9 item 9 above 0 opens a flag (domain.md §7): the patient's version stays 1, its openSafetyFlags becomes 1.
        await AssessmentData.Record(data.Nurse, patientId, "phq9", AssessmentData.Phq9(12, item9: 1), DateTimeOffset.UtcNow.AddHours(-1));
        var after = await Get(data.Nurse, $"/api/v1/patients/{patientId}", before);

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        var body = await after.ReadObject();
        Assert.Equal((1, 1), (body["version"]!.GetValue<int>(), body["openSafetyFlags"]!.GetValue<int>()));
        Assert.NotEqual(before, after.Headers.ETag?.Tag);
        Assert.StartsWith("\"1-", after.Headers.ETag!.Tag, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PatientRead_TheFrontDeskSeesLess_AndGetsAnotherTag_SoTheNursesTagIsNoMatchForIt()
    {
        var patientId = await data.Patient();
        var nurseTag = (await data.Nurse.GetAsync($"/api/v1/patients/{patientId}")).Headers.ETag!.Tag;

        var frontDesk = await Get(data.FrontDesk, $"/api/v1/patients/{patientId}", nurseTag);

        Assert.Equal(HttpStatusCode.OK, frontDesk.StatusCode);
        Assert.Null((await frontDesk.ReadObject())["openSafetyFlags"]);
        Assert.NotEqual(nurseTag, frontDesk.Headers.ETag?.Tag);
        Assert.Equal(HttpStatusCode.NotModified, (await Get(data.FrontDesk, $"/api/v1/patients/{patientId}", frontDesk.Headers.ETag!.Tag)).StatusCode);
    }

    [Fact]
    public async Task PatientUpdate_TakesTheReadsTagInIfMatch_AndAnUpdateChangesTheReadsTag()
    {
        var patient = await PatientData.Register(data.FrontDesk);
        var id = patient["id"]!.GetValue<Guid>();
        var tag = (await data.FrontDesk.GetAsync($"/api/v1/patients/{id}")).Headers.ETag!.Tag;

        var put = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/patients/{id}")
        {
            Content = JsonContent.Create(PatientData.NewPatient(patient["mrn"]!.GetValue<string>(), given: "Augusta")),
        };
        put.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(tag));
        var updated = await data.FrontDesk.SendAsync(put);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("\"2\"", updated.Headers.ETag?.Tag);

        var read = await Get(data.FrontDesk, $"/api/v1/patients/{id}", tag);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.StartsWith("\"2-", read.Headers.ETag!.Tag, StringComparison.Ordinal);

        // The old read's tag is of version 1: a second PUT with it is stale.
        var stale = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/patients/{id}")
        {
            Content = JsonContent.Create(PatientData.NewPatient(patient["mrn"]!.GetValue<string>(), given: "Lost")),
        };
        stale.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(tag));
        await (await data.FrontDesk.SendAsync(stale)).AssertProblem(HttpStatusCode.PreconditionFailed, "precondition.failed");
    }

    [Fact]
    public async Task SessionRead_Returns304WhileUnchanged_AndANewTagOnceADoseIsRecorded_AuditedEachTime()
    {
        var (patientId, _, sessionId) = await data.CheckedInSession();
        var first = await data.Nurse.GetAsync($"/api/v1/sessions/{sessionId}");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var tag = first.Headers.ETag!.Tag;
        var body = await first.Content.ReadAsByteArrayAsync();
        Assert.Equal($"\"{System.Text.Json.Nodes.JsonNode.Parse(body)!["version"]}-{Base64Url(SHA256.HashData(body)[..16])}\"", tag);
        Assert.True(first.Headers.CacheControl is { Private: true, NoCache: true }, first.Headers.CacheControl?.ToString());
        Assert.Contains("Authorization", first.Headers.Vary);

        var unchanged = await Get(data.Nurse, $"/api/v1/sessions/{sessionId}", tag);
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
        Assert.Equal(tag, unchanged.Headers.ETag?.Tag);
        Assert.Empty(await unchanged.Content.ReadAsByteArrayAsync());

        await data.Dose(data.Nurse, sessionId, TreatmentData.Iv(35m)).EnsureStatus(HttpStatusCode.Created);
        var changed = await Get(data.Nurse, $"/api/v1/sessions/{sessionId}", tag);

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(tag, changed.Headers.ETag?.Tag);
        Assert.Single((await changed.ReadObject())["doses"]!.AsArray());
        Assert.Equal(HttpStatusCode.NotModified, (await Get(data.Nurse, $"/api/v1/sessions/{sessionId}", changed.Headers.ETag!.Tag)).StatusCode);

        var admin = factory.ClientFor("audit.admin", "admin");
        var rows = (await (await admin.GetAsync($"/api/v1/audit?patientId={patientId}&limit=200").EnsureStatus(HttpStatusCode.OK)).ReadObject())["items"]!.AsArray();
        var reads = rows.Where(r => r!["action"]!.GetValue<string>() == "GetSession").Select(r => r!["status"]!.GetValue<int>()).Order().ToList();
        Assert.Equal([200, 200, 304, 304], reads);
    }

    private static async Task<HttpResponseMessage> Get(HttpClient client, string path, string ifNoneMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        return await client.SendAsync(request);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
