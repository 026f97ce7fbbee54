using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Outcomes;

/// <summary>domain.md §7: PHQ-9 item 9 above 0 opens a flag that stays open until a prescriber acknowledges it.</summary>
public sealed class SafetyFlagTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    private static readonly DateTimeOffset Yesterday = DateTimeOffset.UtcNow.AddDays(-1);
    private readonly TreatmentData data = new(factory);

    private async Task<int> OpenSafetyFlagsOnPatient(Guid patientId) =>
        (await (await data.Nurse.GetAsync($"/api/v1/patients/{patientId}")).ReadObject())["openSafetyFlags"]!.GetValue<int>();

    private async Task<JsonArray> Flags(Guid patientId, string query = "") =>
        (await (await data.Nurse.GetAsync($"/api/v1/patients/{patientId}/safety-flags{query}").EnsureStatus(HttpStatusCode.OK))
            .ReadObject())["items"]!.AsArray();

    [Fact]
    public async Task Item9OfOne_OpensAFlag_UntilAPrescriberAcknowledgesIt_Once()
    {
        var patientId = await data.Patient();
        Assert.Equal(0, await OpenSafetyFlagsOnPatient(patientId));

        var assessment = await AssessmentData.Record(data.Nurse, patientId, "phq9", AssessmentData.Phq9(11, item9: 1), Yesterday);
        var flagId = assessment["safetyFlagId"]!.GetValue<Guid>();

        Assert.Equal(1, await OpenSafetyFlagsOnPatient(patientId));
        var open = Assert.Single(await Flags(patientId, "?status=open"))!;
        Assert.Equal(flagId, open["id"]!.GetValue<Guid>());
        Assert.Equal(assessment["id"]!.GetValue<Guid>(), open["assessmentId"]!.GetValue<Guid>());
        Assert.Equal("phq9-item9", open["reason"]!.GetValue<string>());
        Assert.Equal(1, open["item9Score"]!.GetValue<int>());
        Assert.Equal("open", open["status"]!.GetValue<string>());
        Assert.Null(open["acknowledgedBy"]);
        Assert.Empty(await Flags(patientId, "?status=acknowledged"));

        await (await data.Nurse.PostAsJsonAsync($"/api/v1/safety-flags/{flagId}/acknowledge", new { actionTaken = "Called the patient" }))
            .AssertProblem(HttpStatusCode.Forbidden);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var acknowledged = await (await data.Prescriber.PostAsJsonAsync($"/api/v1/safety-flags/{flagId}/acknowledge",
            new { actionTaken = "Safety plan reviewed by phone; no intent or plan; follow-up in 48 h." }).EnsureStatus(HttpStatusCode.OK)).ReadObject();
        await (await data.Prescriber.PostAsJsonAsync($"/api/v1/safety-flags/{flagId}/acknowledge", new { actionTaken = "Again" }))
            .AssertProblem(HttpStatusCode.Conflict, "safety-flag.already-acknowledged");

        Assert.Equal("acknowledged", acknowledged["status"]!.GetValue<string>());
        Assert.Equal("dr.patel", acknowledged["acknowledgedBy"]!.GetValue<string>());
        Assert.InRange(acknowledged["acknowledgedAt"]!.GetValue<DateTimeOffset>(), before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal("Safety plan reviewed by phone; no intent or plan; follow-up in 48 h.", acknowledged["actionTaken"]!.GetValue<string>());
        Assert.Equal(0, await OpenSafetyFlagsOnPatient(patientId));
        Assert.Empty(await Flags(patientId, "?status=open"));
        var closed = Assert.Single(await Flags(patientId))!;
        Assert.Equal("dr.patel", closed["acknowledgedBy"]!.GetValue<string>());
    }

    [Fact]
    public async Task Item9OfZero_AndMadrs_OpenNoFlag()
    {
        var patientId = await data.Patient();

        var phq9 = await AssessmentData.Record(data.Nurse, patientId, "phq9", AssessmentData.Phq9(24, item9: 0), Yesterday);
        var madrs = await AssessmentData.Record(data.Nurse, patientId, "madrs", AssessmentData.Madrs(60), Yesterday);

        Assert.Null(phq9["safetyFlagId"]);
        Assert.Null(madrs["safetyFlagId"]);
        Assert.Empty(await Flags(patientId));
        Assert.Equal(0, await OpenSafetyFlagsOnPatient(patientId));
    }

    [Fact]
    public async Task EachFlaggingAssessment_OpensItsOwnFlag_AndTheAssessmentListShowsIt()
    {
        var patientId = await data.Patient();
        var first = await AssessmentData.Record(data.Nurse, patientId, "phq9", AssessmentData.Phq9(27, item9: 3), Yesterday.AddDays(-7));
        var second = await AssessmentData.Record(data.Nurse, patientId, "phq9", AssessmentData.Phq9(12, item9: 2), Yesterday);

        var flags = await Flags(patientId);
        var listed = await (await data.Nurse.GetAsync($"/api/v1/patients/{patientId}/assessments")).ReadObject();

        Assert.Equal(2, await OpenSafetyFlagsOnPatient(patientId));
        Assert.Equal("severe", first["band"]!.GetValue<string>());
        // Newest first: the second assessment's flag, then the first's.
        Assert.Equal([second["safetyFlagId"]!.GetValue<Guid>(), first["safetyFlagId"]!.GetValue<Guid>()],
            flags.Select(f => f!["id"]!.GetValue<Guid>()));
        Assert.Equal([2, 3], flags.Select(f => f!["item9Score"]!.GetValue<int>()));
        Assert.Equal([second["safetyFlagId"]!.GetValue<Guid>(), first["safetyFlagId"]!.GetValue<Guid>()],
            listed["items"]!.AsArray().Select(a => a!["safetyFlagId"]!.GetValue<Guid>()));
    }

    [Fact]
    public async Task VoidingTheAssessment_LeavesTheFlagOpen_MarkedAsFromAVoidedAssessment()
    {
        var patientId = await data.Patient();
        var assessment = await AssessmentData.Record(data.Nurse, patientId, "phq9", AssessmentData.Phq9(9, item9: 1), Yesterday);

        await data.Prescriber.PostAsJsonAsync($"/api/v1/assessments/{assessment["id"]}/void", new { reason = "Wrong patient" })
            .EnsureStatus(HttpStatusCode.OK);

        var flag = Assert.Single(await Flags(patientId, "?status=open"))!;
        Assert.True(flag["assessmentVoided"]!.GetValue<bool>());
        Assert.Equal(1, await OpenSafetyFlagsOnPatient(patientId));
    }

    [Fact]
    public async Task Acknowledge_NeedsAnActionOf1To1000Characters_AndAKnownFlag()
    {
        var patientId = await data.Patient();
        var flagId = (await AssessmentData.Record(data.Nurse, patientId, "phq9", AssessmentData.Phq9(9, item9: 1), Yesterday))["safetyFlagId"];

        await (await data.Prescriber.PostAsJsonAsync($"/api/v1/safety-flags/{flagId}/acknowledge", new { actionTaken = "  " }))
            .AssertValidationError("actionTaken");
        await (await data.Prescriber.PostAsJsonAsync($"/api/v1/safety-flags/{flagId}/acknowledge", new { actionTaken = new string('a', 1001) }))
            .AssertValidationError("actionTaken");
        await (await data.Prescriber.PostAsJsonAsync($"/api/v1/safety-flags/{Guid.NewGuid()}/acknowledge", new { actionTaken = "Called" }))
            .AssertProblem(HttpStatusCode.NotFound);
        await (await data.Nurse.GetAsync($"/api/v1/patients/{patientId}/safety-flags?status=closed")).AssertValidationError("status");

        Assert.Equal(1, await OpenSafetyFlagsOnPatient(patientId));
        await data.Prescriber.PostAsJsonAsync($"/api/v1/safety-flags/{flagId}/acknowledge", new { actionTaken = new string('a', 1000) })
            .EnsureStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task SafetyFlags_PageNewestFirst_AndRefuseAForeignCursor()
    {
        var patientId = await data.Patient();
        var older = await AssessmentData.Record(data.Nurse, patientId, "phq9", AssessmentData.Phq9(12, item9: 1), DateTimeOffset.UtcNow.AddDays(-2));
        var newer = await AssessmentData.Record(data.Nurse, patientId, "phq9", AssessmentData.Phq9(14, item9: 2), DateTimeOffset.UtcNow.AddDays(-1));

        var first = await (await data.Nurse.GetAsync($"/api/v1/patients/{patientId}/safety-flags?limit=1")).ReadObject();
        var second = await (await data.Nurse.GetAsync($"/api/v1/patients/{patientId}/safety-flags?limit=1&cursor={first["nextCursor"]}")).ReadObject();

        Assert.Equal(newer["id"]!.GetValue<Guid>(), first["items"]![0]!["assessmentId"]!.GetValue<Guid>());
        Assert.Equal(older["id"]!.GetValue<Guid>(), second["items"]![0]!["assessmentId"]!.GetValue<Guid>());
        Assert.Null(second["nextCursor"]);
        await (await data.Nurse.GetAsync($"/api/v1/patients/{patientId}/safety-flags?cursor=bm90LWEtZ3VpZA")).AssertValidationError("cursor");
    }
}
