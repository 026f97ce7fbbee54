using System.Net;
using System.Text.Json.Nodes;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Doses;

/// <summary>
/// domain.md §3 "an override covers only what was shown" and §4's BP gate: a refusal lists every warning
/// that stands in the way, and an override names each code it accepts.
/// </summary>
public sealed class OverrideTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    private readonly TreatmentData data = new(factory);

    private const string AboveUsual = "iv.above-usual-mg-per-kg";
    private const string GateElevated = "bp.gate-elevated";

    [Fact]
    public async Task BpGateRefusal_AlsoListsTheSoftLimitWarningsOfTheSameDose()
    {
        var sessionId = await SessionWithBp(150, 95);

        // 60 mg at 70 kg = 0.857 mg/kg > 0.75: the gate and the soft limit both stand in the way.
        var problem = await (await data.Dose(data.Prescriber, sessionId, Dose(60m)))
            .AssertProblem(HttpStatusCode.UnprocessableEntity, "bp.gate");

        Assert.Equal([GateElevated, AboveUsual], Codes(problem["warnings"]));
        Assert.True(problem["overrideAllowed"]!.GetValue<bool>());
    }

    [Fact]
    public async Task OverrideAcceptingOnlyTheGate_IsRefusedAgain_NamingTheWarningItLeftOut()
    {
        var sessionId = await SessionWithBp(150, 95);

        var problem = await (await data.Dose(data.Prescriber, sessionId, Dose(60m, "Rested 20 min; usual for this patient", [GateElevated])))
            .AssertProblem(HttpStatusCode.UnprocessableEntity, "dose.soft-limit");

        Assert.Equal([AboveUsual], Codes(problem["notAccepted"]));
        Assert.Equal([GateElevated, AboveUsual], Codes(problem["warnings"]));
        Assert.Empty((await data.SessionDetail(sessionId))["doses"]!.AsArray());
    }

    [Fact]
    public async Task OverrideReasonAlone_AcceptsNothing()
    {
        var sessionId = await SessionWithBp(120, 80);

        var problem = await (await data.Dose(data.Prescriber, sessionId, Dose(60m, "Partial response at 0.5 mg/kg")))
            .AssertProblem(HttpStatusCode.UnprocessableEntity, "dose.soft-limit");

        Assert.Equal([AboveUsual], Codes(problem["notAccepted"]));
    }

    [Fact]
    public async Task OverrideNamingEveryRaisedWarning_StoresTheDoseWithReasonCodesAndWhoOverrode()
    {
        var sessionId = await SessionWithBp(150, 95);

        var dose = await (await data.Dose(data.Prescriber, sessionId, Dose(60m, "Rested 20 min; usual for this patient", [AboveUsual, GateElevated])))
            .EnsureSuccessObject();

        Assert.Equal([GateElevated, AboveUsual], Codes(dose["overriddenWarnings"]));
        Assert.Equal("Rested 20 min; usual for this patient", dose["overrideReason"]!.GetValue<string>());
        Assert.Equal("dr.patel", dose["overriddenBy"]!.GetValue<string>());
    }

    [Fact]
    public async Task AcceptedWarningsWithoutAReason_OrWithAnUnknownCode_Are400()
    {
        var sessionId = await SessionWithBp(120, 80);

        await (await data.Dose(data.Prescriber, sessionId, Dose(60m, null, [AboveUsual]))).AssertValidationError("overrideReason");
        await (await data.Dose(data.Prescriber, sessionId, Dose(60m, "why", ["dose.anything"]))).AssertValidationError("acceptedWarnings[0]");
    }

    [Fact]
    public async Task NurseNamingTheWarnings_StillCannotOverride()
    {
        var sessionId = await SessionWithBp(120, 80);

        var problem = await (await data.Dose(data.Nurse, sessionId, Dose(60m, "Partial response", [AboveUsual])))
            .AssertProblem(HttpStatusCode.UnprocessableEntity, "dose.soft-limit");

        Assert.False(problem["overrideAllowed"]!.GetValue<bool>());
    }

    [Fact]
    public async Task BpGate_TwoReadingsAtTheSameMinute_AnyElevatedOneBlocks()
    {
        // 120/95 (diastolic above 90) and 140/85 (within 140/90) at the same minute: the tie goes to caution.
        var sessionId = await SessionWithBp(120, 95);
        await data.Bp(sessionId, 140, 85, TreatmentData.CheckInTime.AddMinutes(5));

        var problem = await (await data.Dose(data.Nurse, sessionId, Dose(35m)))
            .AssertProblem(HttpStatusCode.UnprocessableEntity, "bp.gate");

        Assert.Equal(95, problem["reading"]!["diastolic"]!.GetValue<int>());
        Assert.Equal([GateElevated], Codes(problem["warnings"]));
    }

    /// <summary>A checked-in IV session at 70 kg whose only pre-dose BP is the given one, 5 minutes after check-in.</summary>
    private async Task<Guid> SessionWithBp(int systolic, int diastolic)
    {
        var patientId = await data.Patient();
        var planId = (await data.Plan(patientId))["id"]!.GetValue<Guid>();
        var sessionId = await data.Session(patientId, planId);
        await data.Nurse.PostAsync($"/api/v1/sessions/{sessionId}/check-in", Http.Json(
            $$"""{"weightKg":70,"weightBasis":"actual","at":"{{TreatmentData.CheckInTime:O}}"}""")).EnsureStatus(HttpStatusCode.OK);
        await data.Bp(sessionId, systolic, diastolic, TreatmentData.CheckInTime.AddMinutes(5));
        return sessionId;
    }

    private static JsonObject Dose(decimal amountMg, string? overrideReason = null, string[]? acceptedWarnings = null)
    {
        var dose = new JsonObject
        {
            ["medication"] = "ketamine",
            ["route"] = "intravenous",
            ["amountMg"] = amountMg,
            ["infusionStartedAt"] = TreatmentData.CheckInTime.AddMinutes(10),
            ["infusionEndedAt"] = TreatmentData.CheckInTime.AddMinutes(50),
            ["lotNumber"] = "KET-2026-001",
        };
        if (overrideReason is not null)
        {
            dose["overrideReason"] = overrideReason;
        }

        if (acceptedWarnings is not null)
        {
            dose["acceptedWarnings"] = new JsonArray([.. acceptedWarnings.Select(c => (JsonNode)c)]);
        }

        return dose;
    }

    private static string[] Codes(JsonNode? list) =>
        [.. list!.AsArray().Select(w => w is JsonObject o ? o["code"]!.GetValue<string>() : w!.GetValue<string>())];
}
