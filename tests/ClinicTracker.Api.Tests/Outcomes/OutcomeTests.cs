using System.Net;
using System.Text.Json.Nodes;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Outcomes;

/// <summary>
/// Outcomes through the API (domain.md §7). Plans start 2026-03-02 in America/New_York (UTC−5 until the
/// 8 March DST change) unless a test says otherwise; expectations are worked out by hand in the comments.
/// </summary>
public sealed class OutcomeTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    private readonly TreatmentData data = new(factory);

    private static DateTimeOffset At(string instant) => DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);

    private async Task<(Guid PatientId, Guid PlanId)> PatientWithPlan(string startDate = "2026-03-02")
    {
        var patientId = await data.Patient();
        var plan = await data.Plan(patientId, startDate: startDate);
        return (patientId, plan["id"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task Baseline_IsTheLaterOfTwoAssessmentsBeforeTheStart_AndResponseAtExactlyHalfCounts()
    {
        var (patientId, planId) = await PatientWithPlan();
        await AssessmentData.Record(data.Nurse, patientId, "phq9", AssessmentData.Phq9(22), At("2026-02-16T15:00:00Z"));
        var baseline = await AssessmentData.Record(data.Nurse, patientId, "phq9", AssessmentData.Phq9(18), At("2026-02-27T15:00:00Z"));
        var latest = await AssessmentData.Record(data.Nurse, patientId, "phq9", AssessmentData.Phq9(9), At("2026-03-20T15:00:00Z"));

        var outcomes = await AssessmentData.Outcomes(data.Nurse, patientId);
        var phq9 = AssessmentData.Instrument(outcomes, "phq9");

        Assert.Equal(planId, outcomes["plan"]!["id"]!.GetValue<Guid>());
        Assert.Equal(baseline["id"]!.GetValue<Guid>(), phq9["baseline"]!["assessmentId"]!.GetValue<Guid>());
        Assert.Equal("2026-02-27", phq9["baseline"]!["date"]!.GetValue<string>());
        Assert.Equal(latest["id"]!.GetValue<Guid>(), phq9["latest"]!["assessmentId"]!.GetValue<Guid>());
        // 9 − 18 = −9; −9 / 18 = −50.0 %; 9 ≤ 0.5 × 18 = 9 → response (exactly half counts); 9 is not < 5 → no remission.
        Assert.Equal(-9, phq9["change"]!.GetValue<int>());
        Assert.Equal(-50.0m, phq9["percentChange"]!.GetValue<decimal>());
        Assert.True(phq9["response"]!.GetValue<bool>());
        Assert.False(phq9["remission"]!.GetValue<bool>());
        Assert.Equal([22, 18, 9], Totals(phq9["trajectory"]!));
        Assert.Equal(["severe", "moderately-severe", "mild"], phq9["trajectory"]!.AsArray().Select(p => p!["band"]!.GetValue<string>()));
    }

    // domain.md §7: response = latest ≤ 50 % of baseline.
    // 20 → 10: 10 ≤ 10, response (−50.0 %); 20 → 11: 11 > 10, none (−45.0 %).
    // 15 → 7: 7 ≤ 7.5, response (−53.3 %); 15 → 8: 8 > 7.5, none (−46.7 %).
    [Theory]
    [InlineData(20, 10, true, -50.0)]
    [InlineData(20, 11, false, -45.0)]
    [InlineData(15, 7, true, -53.3)]
    [InlineData(15, 8, false, -46.7)]
    public async Task Response_IsLatestAtMostHalfOfBaseline(int baseline, int latest, bool response, double percent)
    {
        var (patientId, _) = await PatientWithPlan();
        await AssessmentData.Record(data.Nurse, patientId, "phq9", AssessmentData.Phq9(baseline), At("2026-03-01T15:00:00Z"));
        await AssessmentData.Record(data.Nurse, patientId, "phq9", AssessmentData.Phq9(latest), At("2026-04-01T15:00:00Z"));

        var phq9 = AssessmentData.Instrument(await AssessmentData.Outcomes(data.Nurse, patientId), "phq9");

        Assert.Equal(response, phq9["response"]!.GetValue<bool>());
        Assert.Equal((decimal)percent, phq9["percentChange"]!.GetValue<decimal>());
    }

    // domain.md §7 defaults: remission PHQ-9 < 5 (4 yes, 5 no), MADRS ≤ 10 (10 yes, 11 no).
    [Theory]
    [InlineData("phq9", 4, true)]
    [InlineData("phq9", 5, false)]
    [InlineData("madrs", 10, true)]
    [InlineData("madrs", 11, false)]
    public async Task Remission_UsesEachInstrumentsCutOff(string instrument, int latest, bool remission)
    {
        var (patientId, _) = await PatientWithPlan();
        var (baselineItems, latestItems) = instrument == "phq9"
            ? (AssessmentData.Phq9(20), AssessmentData.Phq9(latest))
            : (AssessmentData.Madrs(36), AssessmentData.Madrs(latest));
        await AssessmentData.Record(data.Prescriber, patientId, instrument, baselineItems, At("2026-03-01T15:00:00Z"));
        await AssessmentData.Record(data.Prescriber, patientId, instrument, latestItems, At("2026-04-01T15:00:00Z"));

        var outcome = AssessmentData.Instrument(await AssessmentData.Outcomes(data.Nurse, patientId), instrument);

        Assert.Equal(remission, outcome["remission"]!.GetValue<bool>());
        Assert.True(outcome["response"]!.GetValue<bool>());
    }

    [Fact]
    public async Task OnOrBeforeTheStart_ComparesClinicLocalDates()
    {
        var (patientId, _) = await PatientWithPlan();
        // 2026-03-03T03:00Z is 22:00 on 2 March in New York (UTC−5): on the start date, so it is the baseline.
        var evening = await AssessmentData.Record(data.Nurse, patientId, "phq9", AssessmentData.Phq9(20), At("2026-03-03T03:00:00Z"));
        // 2026-03-03T05:30Z is 00:30 on 3 March in New York: after the start.
        await AssessmentData.Record(data.Nurse, patientId, "phq9", AssessmentData.Phq9(16), At("2026-03-03T05:30:00Z"));

        var phq9 = AssessmentData.Instrument(await AssessmentData.Outcomes(data.Nurse, patientId), "phq9");

        Assert.Equal(evening["id"]!.GetValue<Guid>(), phq9["baseline"]!["assessmentId"]!.GetValue<Guid>());
        Assert.Equal("2026-03-02", phq9["baseline"]!["date"]!.GetValue<string>());
        Assert.Equal("2026-03-03", phq9["latest"]!["date"]!.GetValue<string>());
        Assert.Equal(-4, phq9["change"]!.GetValue<int>());
    }

    [Fact]
    public async Task VoidedAssessment_NoLongerCounts()
    {
        var (patientId, _) = await PatientWithPlan();
        await AssessmentData.Record(data.Nurse, patientId, "phq9", AssessmentData.Phq9(20), At("2026-03-01T15:00:00Z"));
        await AssessmentData.Record(data.Nurse, patientId, "phq9", AssessmentData.Phq9(8), At("2026-03-20T15:00:00Z"));
        var wrong = await AssessmentData.Record(data.Nurse, patientId, "phq9", AssessmentData.Phq9(24), At("2026-03-27T15:00:00Z"));
        Assert.False(AssessmentData.Instrument(await AssessmentData.Outcomes(data.Nurse, patientId), "phq9")["response"]!.GetValue<bool>());

        await data.Prescriber.PostAsync($"/api/v1/assessments/{wrong["id"]}/void",
            Http.Json("""{"reason":"Scored the wrong questionnaire"}""")).EnsureStatus(HttpStatusCode.OK);
        var phq9 = AssessmentData.Instrument(await AssessmentData.Outcomes(data.Nurse, patientId), "phq9");

        // Without the voided 24, the latest is 8: 8 ≤ 10 → response.
        Assert.Equal([20, 8], Totals(phq9["trajectory"]!));
        Assert.Equal(8, phq9["latest"]!["total"]!.GetValue<int>());
        Assert.True(phq9["response"]!.GetValue<bool>());
    }

    [Fact]
    public async Task WithoutAPlan_ThereIsNoBaseline_ButRemissionIsJudged()
    {
        var patientId = await data.Patient();
        await AssessmentData.Record(data.Nurse, patientId, "madrs", AssessmentData.Madrs(8), At("2026-03-03T03:00:00Z"));

        var outcomes = await AssessmentData.Outcomes(data.Nurse, patientId);
        var madrs = AssessmentData.Instrument(outcomes, "madrs");

        Assert.Null(outcomes["plan"]);
        Assert.Single(outcomes["instruments"]!.AsArray());
        Assert.Null(madrs["baseline"]);
        Assert.Null(madrs["change"]);
        Assert.Null(madrs["percentChange"]);
        Assert.Null(madrs["response"]);
        Assert.True(madrs["remission"]!.GetValue<bool>());
        // No plan, no clinic zone: the UTC date.
        Assert.Equal("2026-03-03", madrs["latest"]!["date"]!.GetValue<string>());
        Assert.Equal(0.5m, outcomes["criteria"]!["responseFraction"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task PlanId_ChoosesThePlan_OtherwiseTheMostRecentIsUsed()
    {
        var (patientId, firstPlan) = await PatientWithPlan("2026-03-02");
        var secondPlan = (await data.Plan(patientId, startDate: "2026-05-04"))["id"]!.GetValue<Guid>();
        var february = await AssessmentData.Record(data.Nurse, patientId, "phq9", AssessmentData.Phq9(20), At("2026-02-20T15:00:00Z"));
        var april = await AssessmentData.Record(data.Nurse, patientId, "phq9", AssessmentData.Phq9(12), At("2026-04-20T15:00:00Z"));
        await AssessmentData.Record(data.Nurse, patientId, "phq9", AssessmentData.Phq9(6), At("2026-06-01T15:00:00Z"));

        var latestPlan = AssessmentData.Instrument(await AssessmentData.Outcomes(data.Nurse, patientId), "phq9");
        var chosen = await AssessmentData.Outcomes(data.Nurse, patientId, firstPlan);

        // Most recent plan (start 4 May): baseline April's 12, change 6 − 12 = −6. First plan (start 2 March): February's 20, −14.
        Assert.Equal(april["id"]!.GetValue<Guid>(), latestPlan["baseline"]!["assessmentId"]!.GetValue<Guid>());
        Assert.Equal(-6, latestPlan["change"]!.GetValue<int>());
        Assert.Equal(firstPlan, chosen["plan"]!["id"]!.GetValue<Guid>());
        Assert.Equal(february["id"]!.GetValue<Guid>(), AssessmentData.Instrument(chosen, "phq9")["baseline"]!["assessmentId"]!.GetValue<Guid>());
        Assert.Equal(-14, AssessmentData.Instrument(chosen, "phq9")["change"]!.GetValue<int>());
        Assert.NotEqual(firstPlan, secondPlan);

        var otherPatientsPlan = (await PatientWithPlan()).PlanId;
        await (await data.Nurse.GetAsync($"/api/v1/patients/{patientId}/outcomes?planId={otherPatientsPlan}")).AssertProblem(HttpStatusCode.NotFound);
        await (await data.Nurse.GetAsync($"/api/v1/patients/{patientId}/outcomes?planId=nope")).AssertValidationError("planId");
        await (await data.Nurse.GetAsync($"/api/v1/patients/{Guid.NewGuid()}/outcomes")).AssertProblem(HttpStatusCode.NotFound);
    }

    private static IEnumerable<int> Totals(JsonNode trajectory) => trajectory.AsArray().Select(p => p!["total"]!.GetValue<int>());
}
