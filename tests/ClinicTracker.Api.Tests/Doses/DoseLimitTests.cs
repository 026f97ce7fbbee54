using System.Net;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Doses;

/// <summary>The subanesthetic limits of domain.md §3 through HTTP, with boundaries worked out by hand.</summary>
public sealed class DoseLimitTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    private readonly TreatmentData data = new(factory);

    [Theory]
    // 70 kg: hard limit 1.0 mg/kg = 70 mg; soft 0.75 mg/kg = 52.5 mg. Above 52.5 mg only a prescriber's
    // override records the dose, and no override passes the hard limit.
    // The override names the warning it accepts (domain.md §3).
    [InlineData(52.50, null, HttpStatusCode.Created, null)]
    [InlineData(52.51, null, HttpStatusCode.UnprocessableEntity, "dose.soft-limit")]
    [InlineData(52.51, "Partial response at 0.5 mg/kg", HttpStatusCode.Created, null)]
    [InlineData(70.00, "Partial response at 0.5 mg/kg", HttpStatusCode.Created, null)]
    [InlineData(70.01, "Partial response at 0.5 mg/kg", HttpStatusCode.UnprocessableEntity, "dose.hard-limit")]
    public async Task Iv_At70Kg_LimitBoundaries(decimal amountMg, string? overrideReason, HttpStatusCode expected, string? code)
    {
        var (_, _, sessionId) = await data.CheckedInSession(weightKg: 70m);
        string[]? accepted = overrideReason is null ? null : ["iv.above-usual-mg-per-kg"];

        var response = await data.Dose(data.Prescriber, sessionId, TreatmentData.Iv(amountMg, overrideReason: overrideReason, acceptedWarnings: accepted));

        if (code is null)
        {
            Assert.Equal(expected, response.StatusCode);
        }
        else
        {
            await response.AssertProblem(expected, code);
        }
    }

    [Fact]
    public async Task Iv_HardLimit_NamesLimitTotalAndMgPerKg_AndStoresNothing()
    {
        var (_, _, sessionId) = await data.CheckedInSession(weightKg: 70m);

        var problem = await (await data.Dose(data.Prescriber, sessionId, TreatmentData.Iv(70.01m, overrideReason: "trying")))
            .AssertProblem(HttpStatusCode.UnprocessableEntity, "dose.hard-limit");

        Assert.Equal(70.01m, problem["totalMg"]!.GetValue<decimal>());
        Assert.Equal(1.000m, problem["mgPerKg"]!.GetValue<decimal>()); // 70.01 / 70 = 1.000142… → 1.000
        Assert.Equal("iv.max-mg-per-kg", problem["limit"]!["code"]!.GetValue<string>());
        Assert.Equal(1.0m, problem["limit"]!["limit"]!.GetValue<decimal>());
        var session = await data.SessionDetail(sessionId);
        Assert.Empty(session["doses"]!.AsArray());
        Assert.Equal("checked-in", session["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Iv_SecondDosePushingSessionTotalOver_IsRejected()
    {
        var (_, _, sessionId) = await data.CheckedInSession(weightKg: 70m);
        await data.Dose(data.Nurse, sessionId, TreatmentData.Iv(50m)).EnsureStatus(HttpStatusCode.Created);

        // 50 + 20.01 = 70.01 mg > 70 mg (1.0 mg/kg × 70 kg).
        var response = await data.Dose(data.Prescriber, sessionId, TreatmentData.Iv(20.01m, startMinutesAfterCheckIn: 60));

        var problem = await response.AssertProblem(HttpStatusCode.UnprocessableEntity, "dose.hard-limit");
        Assert.Equal(70.01m, problem["totalMg"]!.GetValue<decimal>());
        Assert.Single((await data.SessionDetail(sessionId))["doses"]!.AsArray());
    }

    [Fact]
    public async Task SoftLimit_NurseCannotOverride_PrescriberCanWithReason_AndWarningsAreStored()
    {
        var (_, _, sessionId) = await data.CheckedInSession(weightKg: 70m);

        var nurse = await data.Dose(data.Nurse, sessionId, TreatmentData.Iv(60m, overrideReason: "Responding poorly to 0.5"));
        var problem = await nurse.AssertProblem(HttpStatusCode.UnprocessableEntity, "dose.soft-limit");
        Assert.False(problem["overrideAllowed"]!.GetValue<bool>());
        Assert.Equal("iv.above-usual-mg-per-kg", problem["warnings"]![0]!["code"]!.GetValue<string>());

        var noReason = await data.Dose(data.Prescriber, sessionId, TreatmentData.Iv(60m));
        Assert.True((await noReason.AssertProblem(HttpStatusCode.UnprocessableEntity, "dose.soft-limit"))["overrideAllowed"]!.GetValue<bool>());

        var overridden = await data.Dose(data.Prescriber, sessionId,
            TreatmentData.Iv(60m, overrideReason: "Responding poorly to 0.5", acceptedWarnings: ["iv.above-usual-mg-per-kg"]));
        Assert.Equal(HttpStatusCode.Created, overridden.StatusCode);
        var dose = await overridden.ReadObject();
        Assert.Equal(["iv.above-usual-mg-per-kg"], dose["overriddenWarnings"]!.AsArray().Select(w => w!.GetValue<string>()));
        Assert.Equal("Responding poorly to 0.5", dose["overrideReason"]!.GetValue<string>());
        Assert.Equal("dr.patel", dose["recordedBy"]!.GetValue<string>());
        Assert.Equal("dr.patel", dose["overriddenBy"]!.GetValue<string>());
        Assert.Equal(0.857m, dose["mgPerKg"]!.GetValue<decimal>()); // 60 / 70 = 0.857142…
    }

    [Theory]
    [InlineData(29, true)]
    [InlineData(30, false)]
    public async Task Iv_InfusionShorterThan30Minutes_Warns(int minutes, bool warns)
    {
        var (_, _, sessionId) = await data.CheckedInSession(weightKg: 70m);

        var response = await data.Dose(data.Nurse, sessionId, TreatmentData.Iv(35m, minutes));

        if (warns)
        {
            var problem = await response.AssertProblem(HttpStatusCode.UnprocessableEntity, "dose.soft-limit");
            Assert.Equal("iv.infusion-too-short", problem["warnings"]![0]!["code"]!.GetValue<string>());
        }
        else
        {
            var dose = await response.ReadObject();
            Assert.Equal(30m, dose["infusionMinutes"]!.GetValue<decimal>());
            Assert.Equal(70m, dose["rateMgPerHour"]!.GetValue<decimal>()); // 35 mg over 0.5 h
        }
    }

    [Theory]
    // Age 46 (born 1980): first session up to 56 mg; 84 mg warns. Age ≥ 65: 28 mg first, 56 warns.
    [InlineData("1980-12-10", 2, null)]
    [InlineData("1980-12-10", 3, "esketamine.first-session-above-start-dose")]
    [InlineData("1950-01-01", 1, null)]
    [InlineData("1950-01-01", 2, "esketamine.first-session-above-start-dose")]
    public async Task Esketamine_FirstSessionStartDose_DependsOnAge(string dateOfBirth, int devices, string? warning)
    {
        var (_, _, sessionId) = await data.CheckedInSession("esketamine", "intranasal", dateOfBirth: dateOfBirth);

        var response = await data.Dose(data.Nurse, sessionId, TreatmentData.Esketamine(devices));

        if (warning is null)
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        else
        {
            var problem = await response.AssertProblem(HttpStatusCode.UnprocessableEntity, "dose.soft-limit");
            Assert.Contains(problem["warnings"]!.AsArray(), w => w!["code"]!.GetValue<string>() == warning);
        }
    }

    [Fact]
    public async Task Esketamine_DeviceByDevice_UpTo84_ThenHardLimit()
    {
        var (_, _, second) = await EsketamineSessionAWeekAfter(devicesTheWeekBefore: 2);

        // Second session: 28 + 28 + 28 = 84 mg, an increase of exactly 28 mg over 56: no warning.
        for (var device = 1; device <= 3; device++)
        {
            await data.Dose(data.Nurse, second, TreatmentData.Esketamine(1, 10 + (device * 5))).EnsureStatus(HttpStatusCode.Created);
        }

        // A fourth device: 112 mg > 84 mg.
        var problem = await (await data.Dose(data.Prescriber, second, TreatmentData.Esketamine(1, 30, "extra")))
            .AssertProblem(HttpStatusCode.UnprocessableEntity, "dose.hard-limit");
        Assert.Equal(112m, problem["totalMg"]!.GetValue<decimal>());
        var summary = (await data.SessionDetail(second))["doseSummary"]![0]!;
        Assert.Equal(84m, summary["totalMg"]!.GetValue<decimal>());
        Assert.Equal(3, summary["doseCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task Esketamine_IncreaseAbove28mgOverPreviousSession_Warns()
    {
        var (_, _, second) = await EsketamineSessionAWeekAfter(devicesTheWeekBefore: 1);

        // 28 mg → 84 mg is an increase of 56 mg (> 28 mg).
        var response = await data.Dose(data.Nurse, second, TreatmentData.Esketamine(3));

        var problem = await response.AssertProblem(HttpStatusCode.UnprocessableEntity, "dose.soft-limit");
        Assert.Contains(problem["warnings"]!.AsArray(), w => w!["code"]!.GetValue<string>() == "esketamine.increase-above-28mg");
    }

    [Fact]
    public async Task Esketamine_AmountMustEqualDevicesTimes28()
    {
        var (_, _, sessionId) = await data.CheckedInSession("esketamine", "intranasal");

        var response = await data.Nurse.PostAsync($"/api/v1/sessions/{sessionId}/doses", Http.Json(
            $$"""{"medication":"esketamine","route":"intranasal","amountMg":50,"deviceCount":2,"administeredAt":"{{TreatmentData.CheckInTime.AddMinutes(5):O}}","lotNumber":"L1"}"""));

        await response.AssertValidationError("amountMg");
    }

    [Theory]
    // Intranasal ketamine: soft 50 mg, hard 100 mg. Sublingual: soft 200, hard 300.
    [InlineData("intranasal", 50.00, null)]
    [InlineData("intranasal", 50.01, "dose.soft-limit")]
    [InlineData("intranasal", 100.01, "dose.hard-limit")]
    [InlineData("sublingual", 200.00, null)]
    [InlineData("sublingual", 200.01, "dose.soft-limit")]
    [InlineData("sublingual", 300.01, "dose.hard-limit")]
    // Oral at 70 kg: soft 3.0 mg/kg = 210 mg; hard 300 mg (before 7 mg/kg = 490 mg).
    [InlineData("oral", 210.00, null)]
    [InlineData("oral", 210.01, "dose.soft-limit")]
    [InlineData("oral", 300.01, "dose.hard-limit")]
    public async Task OtherKetamineRoutes_LimitBoundaries(string route, decimal amountMg, string? code)
    {
        var patientId = await data.Patient();
        var planId = (await data.Plan(patientId, "ketamine", route))["id"]!.GetValue<Guid>();
        var sessionId = await data.Session(patientId, planId);
        await data.CheckIn(sessionId, 70m);

        var response = await data.Dose(data.Nurse, sessionId, TreatmentData.NonIv(route, amountMg));

        if (code is null)
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        else
        {
            await response.AssertProblem(HttpStatusCode.UnprocessableEntity, code);
        }
    }

    /// <summary>
    /// An esketamine plan whose first session, a week before <see cref="TreatmentData.CheckInTime"/>, gave the
    /// devices and was completed; the second is checked in at CheckInTime. A week apart, the first session's
    /// doses lie outside the second's 24-hour window (domain.md §3) but are its "previous completed session".
    /// </summary>
    private async Task<(Guid PatientId, Guid PlanId, Guid SecondSessionId)> EsketamineSessionAWeekAfter(int devicesTheWeekBefore)
    {
        var patientId = await data.Patient();
        var planId = (await data.Plan(patientId, "esketamine", "intranasal", "esketamine-standard"))["id"]!.GetValue<Guid>();
        var weekBefore = TreatmentData.CheckInTime.AddDays(-7);
        var first = await data.Session(patientId, planId, weekBefore);
        await data.CheckIn(first, 70m, weekBefore);
        await data.Dose(data.Nurse, first, TreatmentData.EsketamineAt(weekBefore.AddMinutes(10), devicesTheWeekBefore)).EnsureStatus(HttpStatusCode.Created);
        await data.CompleteWithMonitoring(first, checkIn: weekBefore);
        var second = await data.Session(patientId, planId);
        await data.CheckIn(second);
        return (patientId, planId, second);
    }
}
