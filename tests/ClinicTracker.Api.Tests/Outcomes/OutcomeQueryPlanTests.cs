using System.Net;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Outcomes;

/// <summary>The assessment list walks its index without sorting; a patient read stays one query with its open-flag count.</summary>
public sealed class OutcomeQueryPlanTests(CommandCapturingFactory factory) : IClassFixture<CommandCapturingFactory>
{
    private readonly TreatmentData data = new(factory);

    [Fact]
    public async Task AssessmentPage_IsOneQuery_UsingThePatientAssessedAtIndex_WithoutSorting()
    {
        var patientId = await data.Patient();
        for (var i = 0; i < 3; i++)
        {
            await AssessmentData.Record(data.Nurse, patientId, "phq9", AssessmentData.Phq9(10 + i), DateTimeOffset.UtcNow.AddDays(-i - 1));
        }

        var first = await (await data.Nurse.GetAsync($"/api/v1/patients/{patientId}/assessments?limit=2")).ReadObject();
        factory.Commands.Clear();
        var response = await data.Nurse.GetAsync($"/api/v1/patients/{patientId}/assessments?limit=2&instrument=phq9&cursor={first["nextCursor"]}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = Assert.Single(factory.Commands, c => c.Reads("assessments"));
        var plan = await factory.ExplainQueryPlan(page);
        Assert.Contains("IX_assessments_PatientId_AssessedAt_Id", plan, StringComparison.Ordinal);
        Assert.False(factory.Sorts(plan), plan);
    }

    [Fact]
    public async Task PatientRead_IsOneQuery_CountingOpenFlagsOnTheirIndex()
    {
        var patientId = await data.Patient();
        await AssessmentData.Record(data.Nurse, patientId, "phq9", AssessmentData.Phq9(10, item9: 1), DateTimeOffset.UtcNow.AddDays(-1));

        factory.Commands.Clear();
        var patient = await (await data.Nurse.GetAsync($"/api/v1/patients/{patientId}")).ReadObject();

        Assert.Equal(1, patient["openSafetyFlags"]!.GetValue<int>());
        // The audit row and the staff-register lookup of every request (domain.md §9) aside.
        var read = Assert.Single(factory.Commands, c => !c.IsRecordKeeping);
        Assert.True(read.Reads("safety_flags"), read.Sql);
        Assert.Contains("IX_safety_flags_PatientId_Status_Id", await factory.ExplainQueryPlan(read), StringComparison.Ordinal);
    }
}
