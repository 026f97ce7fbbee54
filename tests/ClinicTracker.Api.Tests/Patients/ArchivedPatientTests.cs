using System.Net;
using System.Net.Http.Json;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Patients;

/// <summary>domain.md §4: an archived patient takes no new session, check-in, dose, observation, adverse event, waste or assessment.</summary>
public sealed class ArchivedPatientTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    private readonly TreatmentData data = new(factory);

    [Fact]
    public async Task ArchivedPatient_TakesNoClinicalWrite()
    {
        // A completed IV visit (check-in 3 h ago, 35 mg, monitored, discharged at +135 min) whose dose was then
        // voided (a replacement is the one dose a completed session takes), and a later booking.
        var (patientId, planId, visit) = await data.CheckedInSession();
        var dose = await (await data.Dose(data.Nurse, visit, TreatmentData.Iv(35m))).EnsureSuccessObject();
        await data.CompleteWithMonitoring(visit);
        await data.Prescriber.PostAsJsonAsync($"/api/v1/doses/{dose["id"]}/void", new { reason = "Lot number mistyped" }).EnsureStatus(HttpStatusCode.OK);
        var scheduled = await data.Session(patientId, planId, TreatmentData.CheckInTime.AddDays(2));
        await data.FrontDesk.PostAsync($"/api/v1/patients/{patientId}/archive", null).EnsureStatus(HttpStatusCode.OK);
        var at = TreatmentData.CheckInTime.AddMinutes(20);
        var replacement = new
        {
            medication = "ketamine", route = "intravenous", amountMg = 35m, lotNumber = "KET-2026-002",
            infusionStartedAt = TreatmentData.CheckInTime.AddMinutes(10), infusionEndedAt = TreatmentData.CheckInTime.AddMinutes(50),
            replacesDoseId = dose["id"]!.GetValue<Guid>(),
        };

        var refused = new (string What, Func<Task<HttpResponseMessage>> Call)[]
        {
            ("check-in", () => data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{scheduled}/check-in", new { weightKg = 70m, weightBasis = "actual" })),
            ("observation", () => data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{visit}/observations",
                new { kind = "heart-rate", value = 72, observedAt = at })),
            ("adverse event", () => data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{visit}/adverse-events",
                new { type = "nausea", severity = "mild", onsetAt = at })),
            ("waste", () => data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{visit}/waste",
                new { amountMg = 5m, witnessUserName = "dr.patel", wastedAt = at })),
            ("dose", () => data.Dose(data.Nurse, visit, replacement)),
            ("assessment", () => data.Nurse.PostAsJsonAsync($"/api/v1/patients/{patientId}/assessments",
                new { instrument = "phq9", items = new[] { 1, 1, 1, 1, 1, 1, 1, 1, 0 }, assessedAt = at })),
            ("session", () => data.FrontDesk.PostAsJsonAsync($"/api/v1/patients/{patientId}/sessions",
                new { planId, scheduledAt = TreatmentData.CheckInTime.AddDays(3) })),
        };

        foreach (var (what, call) in refused)
        {
            var response = await call();
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Conflict && body.Contains("\"patient.archived\"", StringComparison.Ordinal),
                $"{what}: expected 409 patient.archived, got {(int)response.StatusCode}: {body}");
        }

        var session = await data.SessionDetail(visit);
        Assert.DoesNotContain(session["observations"]!.AsArray(), o => o!["kind"]!.GetValue<string>() == "heart-rate");
        Assert.Empty(session["adverseEvents"]!.AsArray());
        Assert.Empty(session["waste"]!.AsArray());
    }

    [Fact]
    public async Task APatientWithASessionUnderWay_CannotBeArchived()
    {
        var (patientId, _, open) = await data.CheckedInSession();

        var problem = await (await data.FrontDesk.PostAsync($"/api/v1/patients/{patientId}/archive", null))
            .AssertProblem(HttpStatusCode.Conflict, "patient.open-session");

        Assert.Contains(open.ToString(), problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await data.Nurse.GetAsync($"/api/v1/patients/{patientId}")).StatusCode);
        Assert.Null((await (await data.Nurse.GetAsync($"/api/v1/patients/{patientId}")).ReadObject())["archivedAt"]);
    }
}
