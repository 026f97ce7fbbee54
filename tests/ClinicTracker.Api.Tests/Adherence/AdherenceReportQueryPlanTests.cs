using System.Net;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Adherence;

/// <summary>The clinic-wide report reads the summaries in the report's order from their index: no sort, no scan of sessions (ADR 0016).</summary>
public sealed class AdherenceReportQueryPlanTests(CommandCapturingFactory factory) : IClassFixture<CommandCapturingFactory>
{
    private readonly TreatmentData data = new(factory);

    [Fact]
    public async Task ReportPage_ReadsSummariesInIndexOrder_AndNeverTheSessions()
    {
        var visits = new Visits(data);
        for (var i = 0; i < 3; i++)
        {
            var patientId = await data.Patient();
            await visits.Plan(patientId, visits.Today.AddDays(-20).ToString("O"), [new { name = "induction", sessions = 4, everyDays = 7 }]);
        }

        // A caller of one site reads that site's slice of the index; a caller of every site, the whole index.
        factory.Register("report.plan.admin", ClinicTracker.Core.Clinicians.StaffRole.Admin, allSites: true);
        var everySite = factory.UnregisteredClientFor("report.plan.admin", "admin");
        foreach (var (client, index) in new[]
        {
            (data.Prescriber, "IX_adherence_summaries_SiteId_AdherenceRateScaled_Missed_PlanId"),
            (everySite, "IX_adherence_summaries_AdherenceRateScaled_Missed_PlanId"),
        })
        {
            var first = await (await client.GetAsync("/api/v1/reports/adherence?below=0.9&limit=1").EnsureStatus(HttpStatusCode.OK)).ReadObject();
            factory.Commands.Clear();
            await client.GetAsync($"/api/v1/reports/adherence?below=0.9&limit=1&cursor={first["nextCursor"]}").EnsureStatus(HttpStatusCode.OK);

            var commands = factory.Commands.Where(c => !c.IsRecordKeeping).ToList();
            Assert.DoesNotContain(commands, c => c.Reads("treatment_sessions"));
            var page = Assert.Single(commands, c => c.Reads("adherence_summaries") && c.Sql.Contains("ORDER BY", StringComparison.Ordinal));
            var plan = await factory.ExplainQueryPlan(page);
            Assert.True(plan.Contains(index, StringComparison.Ordinal), page.Sql + "\n" + plan);
            Assert.False(factory.Sorts(plan), plan);
            var stale = Assert.Single(commands, c => c.Reads("adherence_summaries") && !c.Sql.Contains("ORDER BY", StringComparison.Ordinal));
            var stalePlan = await factory.ExplainQueryPlan(stale);
            Assert.True(stalePlan.Contains("IX_adherence_summaries_StaleAtUtc_PlanId", StringComparison.Ordinal), stale.Sql + "\n" + stalePlan);
        }
    }
}
