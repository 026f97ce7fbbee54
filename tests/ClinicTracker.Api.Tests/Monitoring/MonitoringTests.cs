using System.Net;
using System.Net.Http.Json;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Monitoring;

/// <summary>The safety gates of domain.md §4–§5 through HTTP.</summary>
public sealed class MonitoringTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    private readonly TreatmentData data = new(factory);
    private static readonly DateTimeOffset T0 = TreatmentData.CheckInTime;

    /// <summary>A checked-in session without the usual pre-dose BP.</summary>
    private async Task<Guid> CheckedInWithoutBp(string medication = "ketamine", string route = "intravenous")
    {
        var patientId = await data.Patient();
        var planId = (await data.Plan(patientId, medication, route, medication == "esketamine" ? "esketamine-standard" : "iv-induction"))["id"]!.GetValue<Guid>();
        var sessionId = await data.Session(patientId, planId);
        await data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/check-in", new { weightKg = 70, weightBasis = "actual", at = T0 })
            .EnsureStatus(HttpStatusCode.OK);
        return sessionId;
    }

    [Theory]
    // Clinic hold rule 140/90: at the limit doses; one mmHg above either value blocks.
    [InlineData(140, 90, true)]
    [InlineData(141, 90, false)]
    [InlineData(140, 91, false)]
    public async Task BpGate_At140Over90IsAllowed_AboveBlocks(int systolic, int diastolic, bool allowed)
    {
        var sessionId = await CheckedInWithoutBp();
        await data.Bp(sessionId, systolic, diastolic, T0.AddMinutes(5));

        var response = await data.Dose(data.Nurse, sessionId, TreatmentData.Iv(35m));

        if (allowed)
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        else
        {
            var problem = await response.AssertProblem(HttpStatusCode.UnprocessableEntity, "bp.gate");
            Assert.Equal("elevated", problem["gate"]!.GetValue<string>());
            Assert.Equal(systolic, problem["reading"]!["systolic"]!.GetValue<int>());
        }
    }

    [Fact]
    public async Task BpGate_NoReadingWithin60Minutes_Blocks_PrescriberOverrideIsStored()
    {
        var sessionId = await CheckedInWithoutBp();
        // Taken at check-in, 62 minutes before the infusion starts: older than the gate's 60 minutes.
        await data.Bp(sessionId, 118, 76, T0);

        var late = TreatmentData.Iv(35m, startMinutesAfterCheckIn: 62);
        var nurse = await (await data.Dose(data.Nurse, sessionId, late)).AssertProblem(HttpStatusCode.UnprocessableEntity, "bp.gate");
        Assert.Equal("missing", nurse["gate"]!.GetValue<string>());
        Assert.False(nurse["overrideAllowed"]!.GetValue<bool>());

        var overridden = await (await data.Dose(data.Prescriber, sessionId,
            TreatmentData.Iv(35m, startMinutesAfterCheckIn: 62, overrideReason: "BP cuff failed; manual BP 118/76 at bedside",
                acceptedWarnings: ["bp.gate-missing"]))
            .EnsureStatus(HttpStatusCode.Created)).ReadObject();
        Assert.Contains("bp.gate-missing", overridden["overriddenWarnings"]!.AsArray().Select(w => w!.GetValue<string>()));
    }

    [Fact]
    public async Task BpGate_AppliesToTheFirstDoseOnly()
    {
        var (_, _, sessionId) = await data.CheckedInSession();
        await data.Dose(data.Nurse, sessionId, TreatmentData.Iv(20m)).EnsureStatus(HttpStatusCode.Created);
        // A high reading after the first dose does not gate the second one (the clinician decides).
        await data.Bp(sessionId, 150, 95, T0.AddMinutes(55));

        await data.Dose(data.Nurse, sessionId, TreatmentData.Iv(10m, startMinutesAfterCheckIn: 60)).EnsureStatus(HttpStatusCode.Created);
    }

    [Fact]
    public async Task FullEsketamineSession_GatesEnforced_CompletionAt119RefusedAt120Accepted_RemsDataShown()
    {
        var (_, _, sessionId) = await data.CheckedInSession("esketamine", "intranasal");
        // First device at +10, second at +15: 56 mg (first session, age < 65).
        await data.Dose(data.Nurse, sessionId, TreatmentData.Esketamine(1, 10)).EnsureStatus(HttpStatusCode.Created);
        await data.Dose(data.Nurse, sessionId, TreatmentData.Esketamine(1, 15)).EnsureStatus(HttpStatusCode.Created);

        // Nothing after dosing yet: 2 h, the ~40 min BP and a discharge BP are all missing.
        var early = await (await data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/complete", new { at = T0.AddMinutes(60) }))
            .AssertProblem(HttpStatusCode.UnprocessableEntity, "session.monitoring-incomplete");
        Assert.Equal(["observation-time", "post-dose-bp", "discharge-bp"], early["missing"]!.AsArray().Select(m => m!["code"]!.GetValue<string>()));

        await data.Bp(sessionId, 132, 84, T0.AddMinutes(50)); // 40 min after the first device
        await data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/observations", new { kind = "cadss", value = 12, observedAt = T0.AddMinutes(50) })
            .EnsureStatus(HttpStatusCode.Created);
        await data.Bp(sessionId, 124, 80, T0.AddMinutes(125)); // discharge

        // 119 minutes after the first device (+10 → +129) is short of the 120 the REMS asks for; 120 is enough.
        var at119 = await (await data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/complete", new { at = T0.AddMinutes(129) }))
            .AssertProblem(HttpStatusCode.UnprocessableEntity, "session.monitoring-incomplete");
        Assert.Equal(["observation-time"], at119["missing"]!.AsArray().Select(m => m!["code"]!.GetValue<string>()));
        var completed = await (await data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/complete", new { at = T0.AddMinutes(130) })
            .EnsureStatus(HttpStatusCode.OK)).ReadObject();

        Assert.Equal("completed", completed["status"]!.GetValue<string>());
        var rems = completed["monitoring"]!["rems"]!;
        Assert.Equal(56, rems["totalMg"]!.GetValue<decimal>());
        Assert.Equal(2, rems["devices"]!.GetValue<int>());
        Assert.Equal(120, rems["minutesFirstDeviceToDischarge"]!.GetValue<int>());
        Assert.Equal(120, rems["preDoseBp"]!["systolic"]!.GetValue<int>());
        Assert.Equal(132, rems["postDoseBp"]!["systolic"]!.GetValue<int>());
        Assert.Equal(124, rems["dischargeBp"]!["systolic"]!.GetValue<int>());
        Assert.True(rems["dissociation"]!.GetValue<bool>()); // CADSS 12 > 4
        Assert.False(rems["sedation"]!.GetValue<bool>());
        Assert.Empty(completed["monitoring"]!["missingBeforeCompletion"]!.AsArray());
    }

    [Fact]
    public async Task IvCompletion_NeedsABpDuringOrAfterTheInfusion_AndAtDischarge()
    {
        var (_, _, sessionId) = await data.CheckedInSession();
        await data.Dose(data.Nurse, sessionId, TreatmentData.Iv(35m)).EnsureStatus(HttpStatusCode.Created);

        var problem = await (await data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/complete", new { at = T0.AddMinutes(70) }))
            .AssertProblem(HttpStatusCode.UnprocessableEntity, "session.monitoring-incomplete");

        Assert.Equal(["infusion-bp", "discharge-bp"], problem["missing"]!.AsArray().Select(m => m!["code"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("""{"kind":"blood-pressure","systolic":120,"diastolic":120}""", "systolic")]
    [InlineData("""{"kind":"blood-pressure","systolic":301,"diastolic":80}""", "systolic")]
    [InlineData("""{"kind":"blood-pressure","systolic":120,"diastolic":19}""", "diastolic")]
    [InlineData("""{"kind":"heart-rate","value":251}""", "value")]
    [InlineData("""{"kind":"spo2","value":101}""", "value")]
    [InlineData("""{"kind":"cadss","value":93}""", "value")]
    [InlineData("""{"kind":"moaas","value":6}""", "value")]
    [InlineData("""{"kind":"heart-rate","value":80,"systolic":120}""", "systolic")]
    [InlineData("""{"kind":"temperature","value":37}""", "kind")]
    public async Task Observation_OutOfRange_Returns400NamingTheField(string partial, string field)
    {
        var (_, _, sessionId) = await data.CheckedInSession();
        var json = partial[..^1] + $$""","observedAt":"{{T0.AddMinutes(20):O}}"}""";

        var response = await data.Nurse.PostAsync($"/api/v1/sessions/{sessionId}/observations", Http.Json(json));

        await response.AssertValidationError(field);
    }

    [Fact]
    public async Task MoaasZero_FlagsTheSession_InDetailAndHistory_UntilVoided()
    {
        var (patientId, _, sessionId) = await data.CheckedInSession();
        await data.Dose(data.Nurse, sessionId, TreatmentData.Iv(35m)).EnsureStatus(HttpStatusCode.Created);

        var moaas = await (await data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/observations",
            new { kind = "moaas", value = 0, observedAt = T0.AddMinutes(30) }).EnsureStatus(HttpStatusCode.Created)).ReadObject();

        Assert.True(moaas["flagsSession"]!.GetValue<bool>());
        Assert.True((await data.SessionDetail(sessionId))["monitoring"]!["flagged"]!.GetValue<bool>());
        var history = await (await data.Nurse.GetAsync($"/api/v1/patients/{patientId}/sessions")).ReadObject();
        Assert.True(history["items"]![0]!["flagged"]!.GetValue<bool>());

        await data.Nurse.PostAsJsonAsync($"/api/v1/observations/{moaas["id"]}/void", new { reason = "Entered on the wrong patient" })
            .EnsureStatus(HttpStatusCode.OK);
        Assert.False((await data.SessionDetail(sessionId))["monitoring"]!["flagged"]!.GetValue<bool>());
        var all = await (await data.Nurse.GetAsync($"/api/v1/sessions/{sessionId}/observations?includeVoided=true")).ReadObject();
        Assert.Contains(all["items"]!.AsArray(), o => o!["voided"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Observation_OnAScheduledSession_OrBeforeCheckIn_IsRefused()
    {
        var patientId = await data.Patient();
        var planId = (await data.Plan(patientId))["id"]!.GetValue<Guid>();
        var scheduled = await data.Session(patientId, planId);
        var body = new { kind = "heart-rate", value = 72, observedAt = T0 };

        await (await data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{scheduled}/observations", body))
            .AssertProblem(HttpStatusCode.Conflict, "session.not-checked-in");
        await data.CheckIn(scheduled);
        await data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{scheduled}/observations", body).EnsureStatus(HttpStatusCode.Created);
        await (await data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{scheduled}/observations", new { kind = "heart-rate", value = 72, observedAt = T0.AddMinutes(-5) }))
            .AssertProblem(HttpStatusCode.UnprocessableEntity, "monitoring.time-inconsistent");
    }

    [Fact]
    public async Task AdverseEvent_RecordedThenResolved_ButNotTwice()
    {
        var (_, _, sessionId) = await data.CheckedInSession();
        var adverse = await (await data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/adverse-events",
            new { type = "nausea", severity = "mild", onsetAt = T0.AddMinutes(40) }).EnsureStatus(HttpStatusCode.Created)).ReadObject();

        await (await data.Nurse.PostAsJsonAsync($"/api/v1/adverse-events/{adverse["id"]}/resolve", new { resolvedAt = T0.AddMinutes(30) }))
            .AssertProblem(HttpStatusCode.UnprocessableEntity, "adverse-event.time-inconsistent");
        var resolved = await (await data.Nurse.PostAsJsonAsync($"/api/v1/adverse-events/{adverse["id"]}/resolve", new { resolvedAt = T0.AddMinutes(70) })
            .EnsureStatus(HttpStatusCode.OK)).ReadObject();
        Assert.NotNull(resolved["resolvedAt"]);
        await (await data.Nurse.PostAsJsonAsync($"/api/v1/adverse-events/{adverse["id"]}/resolve", new { resolvedAt = T0.AddMinutes(80) }))
            .AssertProblem(HttpStatusCode.Conflict, "adverse-event.already-resolved");
        await (await data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/adverse-events",
            new { type = "other", severity = "mild", onsetAt = T0.AddMinutes(40) })).AssertValidationError("otherType");
        Assert.Single((await data.SessionDetail(sessionId))["adverseEvents"]!.AsArray());
    }
}
