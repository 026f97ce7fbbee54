using System.Net;
using System.Text.Json.Nodes;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Adherence;

public sealed class AdherenceReportTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    private readonly TreatmentData data = new(factory);

    private readonly HttpClient admin = factory.ClientFor("admin.lee", "admin");

    // Two due dates a week apart: Mon 2026-01-05 [04..06] and Mon 2026-01-12 [11..13], tolerance 1.
    private static readonly object[] TwoWeekly = [new { name = "induction", sessions = 2, everyDays = 7 }];

    /// <summary>Every row of the report, page by page (other tests' plans share this database).</summary>
    private async Task<List<JsonObject>> AllRows(HttpClient client, string query)
    {
        var rows = new List<JsonObject>();
        string? cursor = null;
        do
        {
            var url = $"/api/v1/reports/adherence?{query}&limit=1" + (cursor is null ? "" : $"&cursor={cursor}");
            var page = await (await client.GetAsync(url).EnsureStatus(HttpStatusCode.OK)).ReadObject();
            rows.AddRange(page["items"]!.AsArray().Select(i => i!.AsObject()));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null && rows.Count < 500);

        return rows;
    }

    [Fact]
    public async Task Report_LeavesOutPlansOfArchivedPatients()
    {
        var visits = new Visits(data);
        var patientId = await data.Patient();
        var plan = await visits.Plan(patientId, "2026-01-05", TwoWeekly);
        Assert.Contains(await AllRows(data.Prescriber, "below=0.5&asOf=2026-02-01"), r => r["planId"]!.GetValue<Guid>() == plan);

        await data.FrontDesk.PostAsync($"/api/v1/patients/{patientId}/archive", null).EnsureStatus(HttpStatusCode.OK);

        Assert.DoesNotContain(await AllRows(data.Prescriber, "below=0.5&asOf=2026-02-01"), r => r["planId"]!.GetValue<Guid>() == plan);
    }

    [Fact]
    public async Task Report_ListsPlanBelowThresholdWithMrn_NotOneAtTheThreshold()
    {
        var visits = new Visits(data);
        // Below: both due dates missed → 0 / 2 = 0.
        var lowMrn = Http.Unique("MRN");
        var lowPatient = (await PatientData.Register(data.FrontDesk, PatientData.NewPatient(lowMrn)))["id"]!.GetValue<Guid>();
        var lowPlan = await visits.Plan(lowPatient, "2026-01-05", TwoWeekly);
        // At the threshold: 01-05 attended, 01-12 missed → 1 / 2 = 0.5, which is not below 0.5.
        var evenPatient = await data.Patient();
        var evenPlan = await visits.Plan(evenPatient, "2026-01-05", TwoWeekly);
        await visits.Completed(evenPatient, evenPlan, visits.Local("2026-01-05", 10));

        // With an explicit date and with the default (today in each plan's zone): both windows closed long ago.
        foreach (var query in new[] { "below=0.5&asOf=2026-02-01", "below=0.5" })
        {
            var rows = await AllRows(data.Prescriber, query);

            var low = Assert.Single(rows, r => r["planId"]!.GetValue<Guid>() == lowPlan);
            Assert.Equal(lowPatient, low["patientId"]!.GetValue<Guid>());
            Assert.Equal(lowMrn, low["mrn"]!.GetValue<string>());
            Assert.Equal("ketamine", low["medication"]!.GetValue<string>());
            Assert.Equal("intravenous", low["route"]!.GetValue<string>());
            Assert.Equal(0m, low["adherenceRate"]!.GetValue<decimal>());
            Assert.Equal(0m, low["onTimeRate"]!.GetValue<decimal>());
            Assert.Equal(2, low["due"]!.GetValue<int>());
            Assert.Equal(2, low["missed"]!.GetValue<int>());
            Assert.Null(low["daysSinceLastSession"]);
            Assert.Null(low["nextDueDate"]);
            Assert.DoesNotContain(rows, r => r["planId"]!.GetValue<Guid>() == evenPlan);
            AssertWorstFirst(rows);
        }

        // Raise the threshold past 0.5 and the attended plan is listed too, after the one that missed everything.
        var higher = await AllRows(data.Prescriber, "below=0.51&asOf=2026-02-01");
        var positions = higher.Select(r => r["planId"]!.GetValue<Guid>()).ToList();
        Assert.True(positions.IndexOf(lowPlan) >= 0 && positions.IndexOf(lowPlan) < positions.IndexOf(evenPlan));
        var even = higher.Single(r => r["planId"]!.GetValue<Guid>() == evenPlan);
        Assert.Equal(0.5m, even["adherenceRate"]!.GetValue<decimal>());
        // 2026-02-01 − 2026-01-05 = 27.
        Assert.Equal(27, even["daysSinceLastSession"]!.GetValue<int>());
    }

    [Fact]
    public async Task Report_LeavesOutDiscontinuedPlansAndPlansWithNothingDue()
    {
        var visits = new Visits(data);
        var patientId = await data.Patient();
        var stopped = await visits.Plan(patientId, "2026-01-05", TwoWeekly);
        await data.Discontinue(stopped, new { reason = "Switched to esketamine.", at = "2026-01-20T15:00:00Z" }).EnsureStatus(HttpStatusCode.OK);
        var notStarted = await visits.Plan(await data.Patient(), "2026-06-01", TwoWeekly);

        // As of 2026-02-01 the stopped plan is 0 / 2, but it is not active; the other has nothing due (rate null).
        var rows = await AllRows(admin, "below=1&asOf=2026-02-01");

        Assert.DoesNotContain(rows, r => r["planId"]!.GetValue<Guid>() == stopped);
        Assert.DoesNotContain(rows, r => r["planId"]!.GetValue<Guid>() == notStarted);
    }

    [Fact]
    public async Task Report_LeavesOutCompletedPlans()
    {
        // Both due dates (01-05, 01-12) missed → 0 / 2 as of 2026-02-01: listed while active, gone once completed
        // (domain.md §4: a completed plan leaves the clinic-wide adherence report).
        var visits = new Visits(data);
        var planId = await visits.Plan(await data.Patient(), "2026-01-05", TwoWeekly);
        Assert.Contains(await AllRows(data.Prescriber, "below=0.5&asOf=2026-02-01"), r => r["planId"]!.GetValue<Guid>() == planId);

        await visits.CompletePlan(planId, visits.Local("2026-01-20", 10)).EnsureStatus(HttpStatusCode.OK);

        Assert.DoesNotContain(await AllRows(admin, "below=1&asOf=2026-02-01"), r => r["planId"]!.GetValue<Guid>() == planId);
        Assert.DoesNotContain(await AllRows(data.Prescriber, "below=1"), r => r["planId"]!.GetValue<Guid>() == planId);
    }

    [Fact]
    public async Task Report_IsForbiddenForNurses()
    {
        var response = await data.Nurse.GetAsync("/api/v1/reports/adherence");

        await response.AssertProblem(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("below=1.5", "below")]
    [InlineData("below=-0.1", "below")]
    [InlineData("below=abc", "below")]
    [InlineData("asOf=2026-13-01", "asOf")]
    [InlineData("limit=0", "limit")]
    [InlineData("cursor=bm90LWEtY3Vyc29y", "cursor")]
    public async Task Report_InvalidQuery_Returns400NamingTheField(string query, string field)
    {
        var response = await data.Prescriber.GetAsync($"/api/v1/reports/adherence?{query}");

        await response.AssertValidationError(field);
    }

    private static void AssertWorstFirst(List<JsonObject> rows)
    {
        var keys = rows.Select(r => (Rate: r["adherenceRate"]!.GetValue<decimal>(), Missed: r["missed"]!.GetValue<int>())).ToList();
        for (var i = 1; i < keys.Count; i++)
        {
            Assert.True(keys[i - 1].Rate < keys[i].Rate || (keys[i - 1].Rate == keys[i].Rate && keys[i - 1].Missed >= keys[i].Missed),
                $"Row {i} is out of order: {keys[i - 1]} then {keys[i]}.");
        }
    }
}
