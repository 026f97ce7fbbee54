using System.Net;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Sessions;

/// <summary>Session history is one query per page that walks the (patient, scheduled time) index.</summary>
public sealed class SessionHistoryQueryPlanTests(CommandCapturingFactory factory) : IClassFixture<CommandCapturingFactory>
{
    [Fact]
    public async Task HistoryPage_IsOneSessionsQuery_UsingThePatientScheduledAtIndex_WithoutSorting()
    {
        var data = new TreatmentData(factory);
        var patientId = await data.Patient();
        var planId = (await data.Plan(patientId))["id"]!.GetValue<Guid>();
        for (var i = 0; i < 3; i++)
        {
            await data.Session(patientId, planId, TreatmentData.CheckInTime.AddDays(-i));
        }

        var first = await (await data.Nurse.GetAsync($"/api/v1/patients/{patientId}/sessions?limit=2")).ReadObject();
        factory.Commands.Clear();
        var response = await data.Nurse.GetAsync(
            $"/api/v1/patients/{patientId}/sessions?limit=2&status=scheduled&cursor={first["nextCursor"]}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sessionQueries = factory.Commands.Where(c => c.Reads("treatment_sessions")).ToList();
        var page = Assert.Single(sessionQueries);
        // Besides the page: the patient-exists check (the audit row's own reads and writes and the staff-register
        // lookup of every request, domain.md §9, aside).
        var recordQueries = factory.Commands.Where(c => !c.IsRecordKeeping).ToList();
        Assert.True(recordQueries.Count <= 2, string.Join("\n---\n", recordQueries.Select(c => c.Sql)));

        var plan = await factory.ExplainQueryPlan(page);
        Assert.Contains("IX_treatment_sessions_PatientId_ScheduledAt_Id", plan, StringComparison.Ordinal);
        Assert.False(factory.Sorts(plan), plan);
    }
}
