using System.Net;
using System.Net.Http.Json;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Doses;

/// <summary>
/// domain.md §8: a waste witness is an active nurse or prescriber who is neither the clinician recording the
/// waste nor anyone who administered a standing dose of that session.
/// </summary>
public sealed class WasteWitnessTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    private readonly TreatmentData data = new(factory);

    [Fact]
    public async Task TheNurseWhoGaveTheDose_CannotWitnessItsWaste()
    {
        var (_, _, sessionId) = await data.CheckedInSession();
        // nurse.kim gives the dose; a second nurse records the waste and names nurse.kim as witness.
        await data.Dose(data.Nurse, sessionId, TreatmentData.Iv(35m)).EnsureStatus(HttpStatusCode.Created);
        var recorder = factory.ClientFor("nurse.lee", "nurse");

        var problem = await (await recorder.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/waste",
                new { amountMg = 15m, witnessUserName = "nurse.kim", wastedAt = TreatmentData.CheckInTime.AddMinutes(55) }))
            .AssertProblem(HttpStatusCode.UnprocessableEntity, "waste.witness-invalid");

        Assert.Contains("administered", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty((await data.SessionDetail(sessionId))["waste"]!.AsArray());
    }

    [Fact]
    public async Task WhoGaveOnlyAVoidedDose_MayWitness()
    {
        var (_, _, sessionId) = await data.CheckedInSession();
        var voided = await (await data.Dose(data.Nurse, sessionId, TreatmentData.Iv(35m))).EnsureSuccessObject();
        await data.Prescriber.PostAsJsonAsync($"/api/v1/doses/{voided["id"]}/void", new { reason = "Wrong session" }).EnsureStatus(HttpStatusCode.OK);
        await data.Dose(data.Prescriber, sessionId, TreatmentData.Iv(35m, startMinutesAfterCheckIn: 11)).EnsureStatus(HttpStatusCode.Created);
        var recorder = factory.ClientFor("nurse.lee", "nurse");

        // nurse.kim's only dose is entered-in-error; dr.patel gave the standing one, so dr.patel may not witness.
        await recorder.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/waste",
            new { amountMg = 15m, witnessUserName = "nurse.kim", wastedAt = TreatmentData.CheckInTime.AddMinutes(55) }).EnsureStatus(HttpStatusCode.Created);
        await (await recorder.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/waste",
                new { amountMg = 5m, witnessUserName = "dr.patel", wastedAt = TreatmentData.CheckInTime.AddMinutes(56) }))
            .AssertProblem(HttpStatusCode.UnprocessableEntity, "waste.witness-invalid");
    }
}
