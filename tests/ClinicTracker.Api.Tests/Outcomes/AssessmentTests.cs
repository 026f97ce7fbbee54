using System.Net;
using System.Net.Http.Json;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Outcomes;

public sealed class AssessmentTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    private static readonly DateTimeOffset Yesterday = DateTimeOffset.UtcNow.AddDays(-1);
    private readonly TreatmentData data = new(factory);

    // domain.md §7, PHQ-9 bands: 0–4 minimal, 5–9 mild, 10–14 moderate, 15–19 moderately severe, 20–27 severe.
    [Theory]
    [InlineData(0, "minimal")]
    [InlineData(4, "minimal")]
    [InlineData(5, "mild")]
    [InlineData(9, "mild")]
    [InlineData(10, "moderate")]
    [InlineData(14, "moderate")]
    [InlineData(15, "moderately-severe")]
    [InlineData(19, "moderately-severe")]
    [InlineData(20, "severe")]
    [InlineData(24, "severe")]
    public async Task Phq9_IsScoredByTheServer_IntoItsBand(int total, string band)
    {
        var patientId = await data.Patient();

        var created = await AssessmentData.Record(data.Nurse, patientId, "phq9", AssessmentData.Phq9(total), Yesterday);

        Assert.Equal(total, created["total"]!.GetValue<int>());
        Assert.Equal(band, created["band"]!.GetValue<string>());
        Assert.Equal("completed", created["status"]!.GetValue<string>());
        Assert.Equal("nurse.kim", created["recordedBy"]!.GetValue<string>());
        Assert.Null(created["safetyFlagId"]);
    }

    // domain.md §7, MADRS bands: 0–6 normal, 7–19 mild, 20–34 moderate, 35–60 severe.
    [Theory]
    [InlineData(0, "normal")]
    [InlineData(6, "normal")]
    [InlineData(7, "mild")]
    [InlineData(19, "mild")]
    [InlineData(20, "moderate")]
    [InlineData(34, "moderate")]
    [InlineData(35, "severe")]
    [InlineData(60, "severe")]
    public async Task Madrs_IsScoredByTheServer_IntoItsBand(int total, string band)
    {
        var patientId = await data.Patient();

        var created = await AssessmentData.Record(data.Prescriber, patientId, "madrs", AssessmentData.Madrs(total), Yesterday);

        Assert.Equal(total, created["total"]!.GetValue<int>());
        Assert.Equal(band, created["band"]!.GetValue<string>());
        Assert.Null(created["safetyFlagId"]);
    }

    public static TheoryData<string, string> InvalidAssessments => new()
    {
        // 8 answers for a PHQ-9 (needs 9).
        { """{"instrument":"phq9","items":[1,1,1,1,1,1,1,1],"assessedAt":"2026-01-05T10:00:00Z"}""", "items" },
        // 11 answers for a MADRS (needs 10).
        { """{"instrument":"madrs","items":[1,1,1,1,1,1,1,1,1,1,1],"assessedAt":"2026-01-05T10:00:00Z"}""", "items" },
        // PHQ-9 answers are 0–3: item 3 (index 2) is 4.
        { """{"instrument":"phq9","items":[1,1,4,1,1,1,1,1,0],"assessedAt":"2026-01-05T10:00:00Z"}""", "items[2]" },
        { """{"instrument":"phq9","items":[1,1,1,1,1,1,1,-1,0],"assessedAt":"2026-01-05T10:00:00Z"}""", "items[7]" },
        // MADRS answers are 0–6: item 10 (index 9) is 7.
        { """{"instrument":"madrs","items":[1,1,1,1,1,1,1,1,1,7],"assessedAt":"2026-01-05T10:00:00Z"}""", "items[9]" },
        { """{"instrument":"phq9","items":[1,1,"x",1,1,1,1,1,0],"assessedAt":"2026-01-05T10:00:00Z"}""", "items[2]" },
        { """{"instrument":"phq9","assessedAt":"2026-01-05T10:00:00Z"}""", "items" },
        // The items sum to 8; the client says 9.
        { """{"instrument":"phq9","items":[1,1,1,1,1,1,1,1,0],"assessedAt":"2026-01-05T10:00:00Z","total":9}""", "total" },
        { """{"instrument":"phq9","items":[1,1,1,1,1,1,1,1,0],"assessedAt":"2999-01-05T10:00:00Z"}""", "assessedAt" },
        { """{"instrument":"phq9","items":[1,1,1,1,1,1,1,1,0],"assessedAt":"2026-01-05T10:00:00"}""", "assessedAt" },
        { """{"instrument":"phq9","items":[1,1,1,1,1,1,1,1,0]}""", "assessedAt" },
        { """{"instrument":"phq-9","items":[1,1,1,1,1,1,1,1,0],"assessedAt":"2026-01-05T10:00:00Z"}""", "instrument" },
        { """{"instrument":"phq9","items":[1,1,1,1,1,1,1,1,0],"assessedAt":"2026-01-05T10:00:00Z","band":"mild"}""", "band" },
    };

    [Theory]
    [MemberData(nameof(InvalidAssessments))]
    public async Task InvalidAssessment_Returns400NamingTheField_AndStoresNothing(string json, string field)
    {
        var patientId = await data.Patient();

        var response = await data.Nurse.PostAsync($"/api/v1/patients/{patientId}/assessments", Http.Json(json));

        await response.AssertValidationError(field);
        var list = await (await data.Nurse.GetAsync($"/api/v1/patients/{patientId}/assessments?includeVoided=true")).ReadObject();
        Assert.Empty(list["items"]!.AsArray());
    }

    [Fact]
    public async Task ClientTotal_ThatAgrees_IsAccepted()
    {
        var patientId = await data.Patient();

        var response = await AssessmentData.Post(data.Nurse, patientId, "phq9", [1, 1, 1, 1, 1, 1, 1, 1, 0], Yesterday, total: 8);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(8, (await response.ReadObject())["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task FrontDesk_CannotRecordAnAssessment()
    {
        var patientId = await data.Patient();

        var response = await AssessmentData.Post(data.FrontDesk, patientId, "phq9", AssessmentData.Phq9(10), Yesterday);

        await response.AssertProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task UnknownPatient_Returns404_AndArchivedPatient_Returns409()
    {
        var archived = await data.Patient();
        await data.FrontDesk.PostAsync($"/api/v1/patients/{archived}/archive", null).EnsureStatus(HttpStatusCode.OK);

        await (await AssessmentData.Post(data.Nurse, Guid.NewGuid(), "phq9", AssessmentData.Phq9(10), Yesterday))
            .AssertProblem(HttpStatusCode.NotFound, "not-found");
        await (await AssessmentData.Post(data.Nurse, archived, "phq9", AssessmentData.Phq9(10), Yesterday))
            .AssertProblem(HttpStatusCode.Conflict, "patient.archived");
    }

    [Fact]
    public async Task List_IsNewestAssessedFirst_PagesByKeyset_AndFiltersByInstrument()
    {
        var patientId = await data.Patient();
        var day = new DateTimeOffset(2026, 6, 1, 14, 0, 0, TimeSpan.Zero);
        // Recorded out of order, as a clinic catching up would: the list follows assessedAt, not recording order.
        await AssessmentData.Record(data.Nurse, patientId, "phq9", AssessmentData.Phq9(12), day.AddDays(2));
        await AssessmentData.Record(data.Nurse, patientId, "phq9", AssessmentData.Phq9(15), day);
        await AssessmentData.Record(data.Nurse, patientId, "madrs", AssessmentData.Madrs(30), day.AddDays(1));

        var first = await (await data.Nurse.GetAsync($"/api/v1/patients/{patientId}/assessments?limit=2")).ReadObject();
        var second = await (await data.Nurse.GetAsync($"/api/v1/patients/{patientId}/assessments?limit=2&cursor={first["nextCursor"]}")).ReadObject();
        var madrs = await (await factory.ClientFor("integrator.ehr", "integrator").GetAsync($"/api/v1/patients/{patientId}/assessments?instrument=madrs")).ReadObject();

        Assert.Equal([12, 30], first["items"]!.AsArray().Select(a => a!["total"]!.GetValue<int>()));
        Assert.Equal([15], second["items"]!.AsArray().Select(a => a!["total"]!.GetValue<int>()));
        Assert.Null(second["nextCursor"]);
        Assert.Equal([30], madrs["items"]!.AsArray().Select(a => a!["total"]!.GetValue<int>()));
        Assert.Equal(AssessmentData.Madrs(30), madrs["items"]![0]!["items"]!.AsArray().Select(i => i!.GetValue<int>()));
        await (await data.Nurse.GetAsync($"/api/v1/patients/{patientId}/assessments?instrument=PHQ9")).AssertValidationError("instrument");
        await (await data.Nurse.GetAsync($"/api/v1/patients/{patientId}/assessments?cursor=bm9wZQ")).AssertValidationError("cursor");
        await (await data.Nurse.GetAsync($"/api/v1/patients/{Guid.NewGuid()}/assessments")).AssertProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Void_ByPrescriberOnly_HidesItUnlessAsked_AndOnlyOnce()
    {
        var patientId = await data.Patient();
        var wrong = await AssessmentData.Record(data.Nurse, patientId, "phq9", AssessmentData.Phq9(21), Yesterday);
        var id = wrong["id"]!.GetValue<Guid>();

        await (await data.Nurse.PostAsJsonAsync($"/api/v1/assessments/{id}/void", new { reason = "Another patient's form" }))
            .AssertProblem(HttpStatusCode.Forbidden);
        await (await data.Prescriber.PostAsJsonAsync($"/api/v1/assessments/{id}/void", new { reason = " " }))
            .AssertValidationError("reason");
        var voided = await (await data.Prescriber.PostAsJsonAsync($"/api/v1/assessments/{id}/void", new { reason = "Another patient's form" })
            .EnsureStatus(HttpStatusCode.OK)).ReadObject();
        await (await data.Prescriber.PostAsJsonAsync($"/api/v1/assessments/{id}/void", new { reason = "again" }))
            .AssertProblem(HttpStatusCode.Conflict, "assessment.already-voided");

        Assert.Equal("entered-in-error", voided["status"]!.GetValue<string>());
        Assert.Equal("dr.patel", voided["voidedBy"]!.GetValue<string>());
        Assert.Equal("Another patient's form", voided["voidReason"]!.GetValue<string>());
        var visible = await (await data.Nurse.GetAsync($"/api/v1/patients/{patientId}/assessments")).ReadObject();
        var all = await (await data.Nurse.GetAsync($"/api/v1/patients/{patientId}/assessments?includeVoided=true")).ReadObject();
        Assert.Empty(visible["items"]!.AsArray());
        Assert.Single(all["items"]!.AsArray());
        var read = await (await data.Nurse.GetAsync($"/api/v1/assessments/{id}")).ReadObject();
        Assert.Equal("entered-in-error", read["status"]!.GetValue<string>());
        Assert.Equal(21, read["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task Retry_WithSameIdempotencyKey_StoresOneAssessmentAndOneFlag()
    {
        var patientId = await data.Patient();
        var key = Guid.NewGuid().ToString();
        HttpRequestMessage Post() => new(HttpMethod.Post, $"/api/v1/patients/{patientId}/assessments")
        {
            Content = JsonContent.Create(new { instrument = "phq9", items = AssessmentData.Phq9(14, item9: 2), assessedAt = Yesterday }),
            Headers = { { "Idempotency-Key", key } },
        };

        var first = await data.Nurse.SendAsync(Post());
        var retry = await data.Nurse.SendAsync(Post());

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        var list = await (await data.Nurse.GetAsync($"/api/v1/patients/{patientId}/assessments")).ReadObject();
        var flags = await (await data.Nurse.GetAsync($"/api/v1/patients/{patientId}/safety-flags")).ReadObject();
        Assert.Single(list["items"]!.AsArray());
        Assert.Single(flags["items"]!.AsArray());
    }
}
