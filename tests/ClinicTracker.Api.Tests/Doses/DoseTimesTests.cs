using System.Net;
using System.Net.Http.Json;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Doses;

/// <summary>Times derived from a session's doses stay true after corrections, and infusion minutes are one number everywhere.</summary>
public sealed class DoseTimesTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    private readonly TreatmentData data = new(factory);

    [Fact]
    public async Task VoidingTheEarliestDose_MovesFirstDoseAtToTheEarliestStandingDose()
    {
        var (_, _, sessionId) = await data.CheckedInSession(weightKg: 70m);
        var early = await (await data.Dose(data.Nurse, sessionId, TreatmentData.Iv(20m, minutes: 30, startMinutesAfterCheckIn: 10))).EnsureSuccessObject();
        await data.Dose(data.Nurse, sessionId, TreatmentData.Iv(15m, minutes: 30, startMinutesAfterCheckIn: 45)).EnsureStatus(HttpStatusCode.Created);

        await data.Prescriber.PostAsJsonAsync($"/api/v1/doses/{early["id"]}/void", new { reason = "Recorded twice" }).EnsureStatus(HttpStatusCode.OK);

        var session = await data.SessionDetail(sessionId);
        Assert.Equal(TreatmentData.CheckInTime.AddMinutes(45).UtcDateTime, session["firstDoseAt"]!.GetValue<DateTime>(), TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task VoidingTheOnlyDose_ClearsFirstDoseAt()
    {
        var (_, _, sessionId) = await data.CheckedInSession(weightKg: 70m);
        var only = await (await data.Dose(data.Nurse, sessionId, TreatmentData.Iv(35m))).EnsureSuccessObject();

        await data.Prescriber.PostAsJsonAsync($"/api/v1/doses/{only["id"]}/void", new { reason = "Wrong patient" }).EnsureStatus(HttpStatusCode.OK);

        Assert.Null((await data.SessionDetail(sessionId))["firstDoseAt"]);
    }

    [Fact]
    public async Task InfusionOf29Min57s_Is29Point95MinutesInTheWarningAndInTheDose()
    {
        var (_, _, sessionId) = await data.CheckedInSession(weightKg: 70m);
        var start = TreatmentData.CheckInTime.AddMinutes(10);
        var dose = new
        {
            medication = "ketamine",
            route = "intravenous",
            amountMg = 35m,
            infusionStartedAt = start,
            infusionEndedAt = start.AddMinutes(29).AddSeconds(57),
            lotNumber = "KET-2026-001",
        };

        var problem = await (await data.Dose(data.Nurse, sessionId, dose)).AssertProblem(HttpStatusCode.UnprocessableEntity, "dose.soft-limit");
        var warning = problem["warnings"]!.AsArray().Single(w => w!["code"]!.GetValue<string>() == "iv.infusion-too-short")!;
        Assert.Contains("29.95 min", warning["description"]!.GetValue<string>(), StringComparison.Ordinal);

        var recorded = await (await data.Dose(data.Prescriber, sessionId, new
        {
            dose.medication, dose.route, dose.amountMg, dose.infusionStartedAt, dose.infusionEndedAt, dose.lotNumber,
            overrideReason = "Pump stopped 3 s early",
            acceptedWarnings = new[] { "iv.infusion-too-short" },
        })).EnsureSuccessObject();
        Assert.Equal(29.95m, recorded["infusionMinutes"]!.GetValue<decimal>());
        Assert.Equal(70.12m, recorded["rateMgPerHour"]!.GetValue<decimal>()); // 35 mg / (29.95 / 60) h = 70.1168… → 70.12
    }
}
