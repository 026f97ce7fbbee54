using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using ClinicTracker.Api.Adherence;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Adherence;

/// <summary>The API with the summary refresh left to the tests (it still runs once at start): no tick can hide a stale row.</summary>
public sealed class ManualSummaryRefreshFactory : ClinicApiFactory
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Adherence:SummaryRefreshSeconds"] = "86400",
    };

    public Task<int> RefreshStaleSummaries() => Services.GetRequiredService<AdherenceSummaryRefresh>().RunOnceAsync(CancellationToken.None);
}

/// <summary>
/// The clinic-wide report reads per-plan summaries (ADR 0016): they are written with every write that changes a
/// plan's adherence, refreshed when time makes them stale, and agree with the per-plan endpoint.
/// </summary>
public sealed class AdherenceSummaryTests(ManualSummaryRefreshFactory factory) : IClassFixture<ManualSummaryRefreshFactory>
{
    private static readonly object[] FourWeekly = [new { name = "induction", sessions = 4, everyDays = 7 }];

    private readonly TreatmentData data = new(factory);

    private static string Key(Guid planId) => planId.ToString("D").ToUpperInvariant();

    private async Task<long> Stored(Guid planId, string column) =>
        Convert.ToInt64(await factory.Database.ScalarAsync($"""SELECT "{column}" FROM adherence_summaries WHERE "PlanId" = '{Key(planId)}'"""), CultureInfo.InvariantCulture);

    private async Task<long> Rows(Guid planId) =>
        Convert.ToInt64(await factory.Database.ScalarAsync($"""SELECT COUNT(*) FROM adherence_summaries WHERE "PlanId" = '{Key(planId)}'"""), CultureInfo.InvariantCulture);

    /// <summary>How many of <paramref name="plans"/> have a summary the report reads as it is (not stale now).</summary>
    private async Task<long> Fresh(IEnumerable<Guid> plans)
    {
        var now = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + (TestProvider.IsPostgres ? "+00" : "");
        var ids = string.Join(", ", plans.Select(p => $"'{Key(p)}'"));
        return Convert.ToInt64(await factory.Database.ScalarAsync(
            $"""SELECT COUNT(*) FROM adherence_summaries WHERE "PlanId" IN ({ids}) AND "StaleAtUtc" > '{now}'"""), CultureInfo.InvariantCulture);
    }

    /// <summary>The report line of one plan (every page, at most 500 rows: other tests' plans share this database).</summary>
    private async Task<JsonObject?> ReportLine(Guid planId, string query = "below=1")
    {
        string? cursor = null;
        var seen = 0;
        do
        {
            var url = $"/api/v1/reports/adherence?{query}&limit=100" + (cursor is null ? "" : $"&cursor={cursor}");
            var page = await (await data.Prescriber.GetAsync(url).EnsureStatus(HttpStatusCode.OK)).ReadObject();
            foreach (var item in page["items"]!.AsArray())
            {
                seen++;
                if (item!["planId"]!.GetValue<Guid>() == planId)
                {
                    return item.AsObject();
                }
            }

            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null && seen < 500);

        return null;
    }

    /// <summary>The first Monday on or before <paramref name="days"/> days ago, clinic-local in New York.</summary>
    private static DateOnly MondayBefore(int days)
    {
        var date = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-days);
        return date.AddDays(-(((int)date.DayOfWeek + 6) % 7));
    }

    [Fact]
    public async Task EveryWriteThatChangesAdherence_UpdatesTheSummaryInItsTransaction()
    {
        var visits = new Visits(data);
        var patientId = await data.Patient();
        // Four weekly due dates from 20 days ago, tolerance 1: the windows of −20, −13 and −6 days closed, the one of
        // tomorrow open.
        var start = visits.Today.AddDays(-20);
        var planId = await visits.Plan(patientId, start.ToString("O"), FourWeekly);

        // Created with the plan: three due dates missed, nothing attended (0 / 3).
        Assert.Equal(1, await Rows(planId));
        Assert.Equal(3, await Stored(planId, "Missed"));
        Assert.Equal(0, await Stored(planId, "AdherenceRateScaled"));

        // Attending the first due date: 1 / 3 = 0.3333, in the same write.
        await visits.Completed(patientId, planId, visits.Local(start.ToString("O"), 10));
        Assert.Equal(2, await Stored(planId, "Missed"));
        Assert.Equal(3333, await Stored(planId, "AdherenceRateScaled"));
        var line = await ReportLine(planId);
        Assert.NotNull(line);
        Assert.Equal(0.3333m, line["adherenceRate"]!.GetValue<decimal>());
        Assert.Equal(2, line["missed"]!.GetValue<int>());
        Assert.Equal(visits.Today.DayNumber - start.DayNumber, line["daysSinceLastSession"]!.GetValue<int>());

        // Ending the plan takes it out of the report in the same write.
        await data.Discontinue(planId, new { reason = "patient moved away", at = DateTimeOffset.UtcNow.AddMinutes(-1) }).EnsureStatus(HttpStatusCode.OK);
        Assert.Equal(0, await Rows(planId));
        Assert.Null(await ReportLine(planId));
    }

    [Fact]
    public async Task AWriteThatLeavesAdherenceAlone_LeavesTheSummaryAlone()
    {
        // Checked in (a write that changes adherence: the booking became an open session), then a BP and a dose:
        // they change the session's dose total and version, not a column adherence reads (domain.md §10).
        var (_, planId, sessionId) = await data.CheckedInSession();
        var version = await Stored(planId, "Version");
        await data.Bp(sessionId, 122, 78, TreatmentData.CheckInTime.AddMinutes(5));
        await data.Dose(data.Nurse, sessionId, TreatmentData.Iv(35m)).EnsureStatus(HttpStatusCode.Created);

        Assert.Equal(version, await Stored(planId, "Version"));
    }

    [Fact]
    public async Task AStaleSummary_IsComputedByTheReport_AndRefreshedByTheJob()
    {
        var visits = new Visits(data);
        var patientId = await data.Patient();
        var start = visits.Today.AddDays(-20);
        var planId = await visits.Plan(patientId, start.ToString("O"), FourWeekly);
        await visits.Completed(patientId, planId, visits.Local(start.ToString("O"), 10));

        // As the passing of time leaves a row: stale since 1970, and its stored figures no longer right.
        await factory.Database.ExecuteAsync($"""
            UPDATE adherence_summaries SET "Missed" = 99, "AdherenceRateScaled" = 1, "StaleAtUtc" = '1970-01-01 00:00:00'
            WHERE "PlanId" = '{Key(planId)}'
            """);

        // The report computes the stale plan as of now rather than list what is stored.
        var line = await ReportLine(planId);
        Assert.NotNull(line);
        Assert.Equal(2, line["missed"]!.GetValue<int>());
        Assert.Equal(0.3333m, line["adherenceRate"]!.GetValue<decimal>());

        // The job puts the figures back and moves the row's stale instant into the future.
        Assert.True(await factory.RefreshStaleSummaries() >= 1);
        Assert.Equal(2, await Stored(planId, "Missed"));
        Assert.Equal(3333, await Stored(planId, "AdherenceRateScaled"));
        Assert.Equal(0, Convert.ToInt64(await factory.Database.ScalarAsync(
            $"""SELECT COUNT(*) FROM adherence_summaries WHERE "PlanId" = '{Key(planId)}' AND "StaleAtUtc" < '1971-01-01'"""), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task ACallerOfTwoSites_GetsBothSitesPlansInOneOrder_PageByPage()
    {
        // Two new sites; at each, its own staff make plans of weekly due dates, nothing attended (rate 0):
        // started 20 days ago → 3 windows closed; 13 days ago → 2; 6 days ago → 1 (tolerance 1).
        var admin = factory.ClientFor("summary.sites.admin", "admin");
        var siteA = await SiteData.Create(admin, "SummaryA", "America/New_York");
        var siteB = await SiteData.Create(admin, "SummaryB", "America/New_York");
        TreatmentData At(Guid site, string who) => new(
            factory.ClientAt($"{who}.fd", "front-desk", site), factory.ClientAt($"{who}.nurse", "nurse", site), factory.ClientAt($"{who}.rx", "prescriber", site));
        var atA = At(siteA, "summary.a");
        var atB = At(siteB, "summary.b");
        async Task<Guid> Plan(TreatmentData at, int daysAgo)
        {
            var visits = new Visits(at);
            return await visits.Plan(await at.Patient(), visits.Today.AddDays(-daysAgo).ToString("O"), FourWeekly);
        }

        var a3 = await Plan(atA, 20);
        var b2 = await Plan(atB, 13);
        var a1 = await Plan(atA, 6);

        // Worst first across both sites: rate 0 for all, then most missed: A's 3, B's 2, A's 1 — one row a page.
        var reader = factory.ClientAt("summary.ab.rx", "prescriber", siteA, siteB);
        var order = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await (await reader.GetAsync("/api/v1/reports/adherence?below=0.5&limit=1" + (cursor is null ? "" : $"&cursor={cursor}"))
                .EnsureStatus(HttpStatusCode.OK)).ReadObject();
            order.AddRange(page["items"]!.AsArray().Select(i => i!["planId"]!.GetValue<Guid>()));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null && order.Count < 10);

        Assert.Equal([a3, b2, a1], order);
    }

    [Fact]
    public async Task OverAGeneratedClinic_TheReportAndThePerPlanEndpointAgree()
    {
        // 16 patients, each on a weekly plan of 3–6 due dates that started 0–8 weeks ago, each past due date
        // attended on time, late, not at all, or closed as a no-show, a hold or a cancellation (seeded: the same
        // clinic every run).
        var random = new Random(20261201);
        var plans = new List<Guid>();
        for (var i = 0; i < 16; i++)
        {
            var visits = new Visits(data, i % 2 == 0 ? "America/New_York" : "Europe/London");
            var patientId = await data.Patient();
            var start = MondayBefore(random.Next(0, 57));
            var count = random.Next(3, 7);
            var planId = await visits.Plan(patientId, start.ToString("O"), [new { name = "induction", sessions = count, everyDays = 7 }]);
            plans.Add(planId);
            for (var k = 0; k < count; k++)
            {
                var due = start.AddDays(7 * k);
                var outcome = random.Next(0, 6);
                // Days ahead of "today" in the zone: only past days can hold a visit.
                var day = outcome == 1 ? due.AddDays(2) : due;
                if (day >= visits.Today)
                {
                    continue;
                }

                var at = visits.Local(day.ToString("O"), 10);
                switch (outcome)
                {
                    case 0 or 1:
                        await visits.Completed(patientId, planId, at);
                        break;
                    case 2:
                        await visits.NoShow(patientId, planId, at);
                        break;
                    case 3:
                        await visits.Held(patientId, planId, at);
                        break;
                    case 4:
                        await visits.Cancelled(patientId, planId, at, "patient");
                        break;
                    default:
                        // Nobody booked it.
                        break;
                }
            }
        }

        // Every plan's summary was written by the writes themselves and is read as stored (a stale one would be
        // computed by the report, and the comparison would not test the summaries).
        Assert.Equal(plans.Count, await Fresh(plans));
        var listed = 0;
        foreach (var planId in plans)
        {
            var computed = await new Visits(data).Adherence(data.Prescriber, planId);
            var rate = computed["adherenceRate"]?.GetValue<decimal>();
            var line = await ReportLine(planId);
            if (rate is not { } r || r >= 1m)
            {
                Assert.Null(line);
                continue;
            }

            listed++;
            Assert.NotNull(line);
            foreach (var field in new[] { "adherenceRate", "onTimeRate", "due", "missed", "daysSinceLastSession", "nextDueDate" })
            {
                Assert.True(JsonNode.DeepEquals(computed[field], line[field]), $"plan {planId} {field}: endpoint {computed[field]?.ToJsonString()} report {line[field]?.ToJsonString()}");
            }
        }

        // The seeded clinic lists most of its plans; a run that listed none would compare nothing.
        Assert.True(listed >= 8, $"only {listed} plans below 1");
    }
}
