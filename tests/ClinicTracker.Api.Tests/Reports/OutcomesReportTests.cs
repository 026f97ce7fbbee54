using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Reports;

public sealed class OutcomesReportTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    private readonly HttpClient admin = factory.ClientFor("admin.lee", "admin");

    /// <summary>
    /// Six plans at a site of their own, one patient each, worked out by hand. Due dates every 7 days from Monday
    /// 2026-01-05, tolerance 1 (windows 01-04..06, 01-11..13, 01-18..20). Response: latest ≤ ½ baseline; remission PHQ-9
    /// &lt; 5, MADRS ≤ 10 (domain.md §7). Days are from the start date.
    /// <code>
    /// P1 IV, 2 due: 35 mg on 01-05 and 01-12 at 70 kg → 0.5, 0.5 mg/kg → iv-up-to-0.5; 2/2 attended → 1 → at-least-0.8.
    ///    PHQ-9 01-02 20 (baseline), 01-19 9 (≤ 10, first response day 14), 02-02 4 (latest: response, remission).
    ///    MADRS 01-02 30, 01-26 14 (≤ 15 response day 21; 14 > 10 no remission).
    /// P2 IV, 2 due: 52.5 mg on 01-05 → 0.75 mg/kg exactly → iv-0.5-to-0.75; 1/2 → 0.5 exactly → 0.5-to-0.8.
    ///    PHQ-9 01-05 16 (on the start day: baseline), 01-12 8 (≤ 8, day 7), 02-09 10 (latest: relapsed, no response).
    /// P3 esketamine, 2 due: 56 mg on 01-05, 84 mg on 01-12 → median 70 → esketamine-56; 2/2 → at-least-0.8.
    ///    PHQ-9 01-05 10, 01-07 5 (≤ 5 response day 2; 5 is not &lt; 5). MADRS 01-05 20, 01-19 10 (response and remission, day 14).
    /// P4 esketamine, 3 due: 56, 84, 84 mg on 01-05, 01-12, 01-19 → median 84 → esketamine-84; completed 01-30 (no summary
    ///    any more: adherence computed, 3/3 → at-least-0.8). PHQ-9 01-05 18, 01-27 9 (≤ 9, day 22); 02-10 2 is after the
    ///    end and does not count, so the latest is 9: responder, no remission.
    /// P5 IV, 2 due, never attended → no dose → unknown; 0/2 → below-0.5. PHQ-9 01-02 15, 01-20 12 (12 > 7.5): counted, no response.
    /// P6 IV starting two days ago, tolerance 3: its one window is still open, nothing due → adherence unknown; no dose →
    ///    unknown. PHQ-9 three days ago 20, yesterday 10 (≤ 10, day 1): responder, no remission.
    /// </code>
    /// </summary>
    private static async Task<OutcomesClinic> SixPlans(OutcomesClinic c)
    {
        var (p1, plan1) = await c.Plan("ketamine", "intravenous", "2026-01-05", 2);
        await c.Iv(p1, plan1, "2026-01-05", 35m);
        await c.Iv(p1, plan1, "2026-01-12", 35m);
        await c.Phq9(p1, "2026-01-02", 20);
        await c.Phq9(p1, "2026-01-19", 9);
        await c.Phq9(p1, "2026-02-02", 4);
        await c.Madrs(p1, "2026-01-02", 30);
        await c.Madrs(p1, "2026-01-26", 14);

        var (p2, plan2) = await c.Plan("ketamine", "intravenous", "2026-01-05", 2);
        await c.Iv(p2, plan2, "2026-01-05", 52.5m);
        await AssessmentData(c, p2, ("2026-01-05", 16, 8), ("2026-01-12", 8, 12), ("2026-02-09", 10, 12));

        var (p3, plan3) = await c.Plan("esketamine", "intranasal", "2026-01-05", 2);
        await c.Esketamine(p3, plan3, "2026-01-05", 2);
        await c.Esketamine(p3, plan3, "2026-01-12", 3);
        await c.Phq9(p3, "2026-01-05", 10);
        await c.Phq9(p3, "2026-01-07", 5);
        await c.Madrs(p3, "2026-01-05", 20);
        await c.Madrs(p3, "2026-01-19", 10);

        var (p4, plan4) = await c.Plan("esketamine", "intranasal", "2026-01-05", 3);
        await c.Esketamine(p4, plan4, "2026-01-05", 2);
        await c.Esketamine(p4, plan4, "2026-01-12", 3);
        await c.Esketamine(p4, plan4, "2026-01-19", 3);
        await c.Visits.CompletePlan(plan4, c.Visits.Local("2026-01-30", 10)).EnsureStatus(HttpStatusCode.OK);
        await c.Phq9(p4, "2026-01-05", 18);
        await c.Phq9(p4, "2026-01-27", 9);
        await c.Phq9(p4, "2026-02-10", 2);

        var (p5, _) = await c.Plan("ketamine", "intravenous", "2026-01-05", 2);
        await c.Phq9(p5, "2026-01-02", 15);
        await c.Phq9(p5, "2026-01-20", 12);

        var today = c.Visits.Today;
        var (p6, _) = await c.Plan("ketamine", "intravenous", Day(today.AddDays(-2)), 1, toleranceDays: 3);
        await c.Phq9(p6, Day(today.AddDays(-3)), 20);
        await c.Phq9(p6, Day(today.AddDays(-1)), 10);
        return c;
    }

    private static async Task AssessmentData(OutcomesClinic c, Guid patientId, params (string Date, int Total, int Hour)[] phq9)
    {
        foreach (var (date, total, hour) in phq9)
        {
            await Outcomes.AssessmentData.Record(c.Data.Nurse, patientId, "phq9", Outcomes.AssessmentData.Phq9(total), c.Visits.Local(date, hour));
        }
    }

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Asserts one instrument's figures: counted, responders, remitters, rates, reached response, median weeks.</summary>
    private static void Figures(JsonNode? figures, int counted, int responders, int remitters, decimal? responseRate, decimal? remissionRate,
        int reached, decimal? weeks)
    {
        Assert.NotNull(figures);
        Assert.Equal(counted, figures["counted"]!.GetValue<int>());
        Assert.Equal(responders, figures["responders"]!.GetValue<int>());
        Assert.Equal(remitters, figures["remitters"]!.GetValue<int>());
        Assert.Equal(responseRate, figures["responseRate"]?.GetValue<decimal>());
        Assert.Equal(remissionRate, figures["remissionRate"]?.GetValue<decimal>());
        Assert.Equal(reached, figures["reachedResponse"]!.GetValue<int>());
        Assert.Equal(weeks, figures["medianWeeksToFirstResponse"]?.GetValue<decimal>());
    }

    private static JsonObject Group(JsonObject report, string grouping, string key) =>
        report[grouping]!.AsArray().Single(g => g!["key"]!.GetValue<string>() == key)!.AsObject();

    private static IEnumerable<string> Keys(JsonObject report, string grouping) =>
        report[grouping]!.AsArray().Select(g => g!["key"]!.GetValue<string>());

    [Fact]
    public async Task Report_GroupsTheSitesPlans_WithHandComputedCountsRatesAndMedianWeeks()
    {
        var clinic = await SixPlans(await OutcomesClinic.Create(factory, admin));

        var report = await OutcomesClinic.Report(clinic.Prescriber);

        // All six. PHQ-9: all counted; responders P1, P3, P4, P6 → 4/6 = 0.6667; remitter P1 → 1/6 = 0.1667;
        // first responses at days 14, 7, 2, 22, 1 → sorted 1, 2, 7, 14, 22 → 7 days → 1.0 week.
        // MADRS: counted P1, P3; both respond → 1; remitter P3 → 0.5; days 21, 14 → 17.5 → 2.5 weeks.
        var all = report["overall"]!.AsObject();
        Assert.Equal("all", all["key"]!.GetValue<string>());
        Assert.Equal(6, all["plans"]!.GetValue<int>());
        Figures(all["phq9"], 6, 4, 1, 0.6667m, 0.1667m, 5, 1.0m);
        Figures(all["madrs"], 2, 2, 1, 1m, 0.5m, 2, 2.5m);

        // By route: IV P1, P2, P5, P6; intranasal P3, P4.
        Assert.Equal(["intravenous", "intranasal"], Keys(report, "byRoute"));
        var iv = Group(report, "byRoute", "intravenous");
        Assert.Equal(4, iv["plans"]!.GetValue<int>());
        // Responders P1, P6 → 0.5; remitter P1 → 0.25; days 14, 7, 1 → 7 → 1.0. MADRS: P1 only, day 21 → 3.0.
        Figures(iv["phq9"], 4, 2, 1, 0.5m, 0.25m, 3, 1.0m);
        Figures(iv["madrs"], 1, 1, 0, 1m, 0m, 1, 3.0m);
        var nasal = Group(report, "byRoute", "intranasal");
        Assert.Equal(2, nasal["plans"]!.GetValue<int>());
        // P3, P4 respond, neither remits; days 2, 22 → 12 → 1.714… → 1.7. MADRS P3: day 14 → 2.0.
        Figures(nasal["phq9"], 2, 2, 0, 1m, 0m, 2, 1.7m);
        Figures(nasal["madrs"], 1, 1, 1, 1m, 1m, 1, 2.0m);

        // By dose band: no IV plan above 0.75, and the two without a dosed session in "unknown", not dropped.
        Assert.Equal(["iv-up-to-0.5", "iv-0.5-to-0.75", "esketamine-56", "esketamine-84", "unknown"], Keys(report, "byDoseBand"));
        Figures(Group(report, "byDoseBand", "iv-up-to-0.5")["phq9"], 1, 1, 1, 1m, 1m, 1, 2.0m);
        Figures(Group(report, "byDoseBand", "iv-up-to-0.5")["madrs"], 1, 1, 0, 1m, 0m, 1, 3.0m);
        Figures(Group(report, "byDoseBand", "iv-0.5-to-0.75")["phq9"], 1, 0, 0, 0m, 0m, 1, 1.0m);
        Figures(Group(report, "byDoseBand", "iv-0.5-to-0.75")["madrs"], 0, 0, 0, null, null, 0, null);
        // P3 day 2 → 0.285… → 0.3 weeks; P4 day 22 → 3.142… → 3.1 weeks.
        Figures(Group(report, "byDoseBand", "esketamine-56")["phq9"], 1, 1, 0, 1m, 0m, 1, 0.3m);
        Figures(Group(report, "byDoseBand", "esketamine-56")["madrs"], 1, 1, 1, 1m, 1m, 1, 2.0m);
        Figures(Group(report, "byDoseBand", "esketamine-84")["phq9"], 1, 1, 0, 1m, 0m, 1, 3.1m);
        var noDose = Group(report, "byDoseBand", "unknown");
        Assert.Equal(2, noDose["plans"]!.GetValue<int>());
        // P5 (no response), P6 (response day 1 → 0.142… → 0.1).
        Figures(noDose["phq9"], 2, 1, 0, 0.5m, 0m, 1, 0.1m);
        Figures(noDose["madrs"], 0, 0, 0, null, null, 0, null);

        // By adherence: P1, P3, P4 at 1 (P4 computed: ended plans have no summary); P2 at 0.5 exactly; P5 at 0; P6 nothing due.
        Assert.Equal(["at-least-0.8", "0.5-to-0.8", "below-0.5", "unknown"], Keys(report, "byAdherenceBand"));
        var high = Group(report, "byAdherenceBand", "at-least-0.8");
        Assert.Equal(3, high["plans"]!.GetValue<int>());
        // Responders 3 → 1; remitter P1 → 1/3 = 0.3333; days 14, 2, 22 → 14 → 2.0. MADRS P1, P3: days 21, 14 → 17.5 → 2.5.
        Figures(high["phq9"], 3, 3, 1, 1m, 0.3333m, 3, 2.0m);
        Figures(high["madrs"], 2, 2, 1, 1m, 0.5m, 2, 2.5m);
        Figures(Group(report, "byAdherenceBand", "0.5-to-0.8")["phq9"], 1, 0, 0, 0m, 0m, 1, 1.0m);
        Figures(Group(report, "byAdherenceBand", "below-0.5")["phq9"], 1, 0, 0, 0m, 0m, 0, null);
        Figures(Group(report, "byAdherenceBand", "unknown")["phq9"], 1, 1, 0, 1m, 0m, 1, 0.1m);

        Assert.Equal(0.5m, report["criteria"]!["responseFraction"]!.GetValue<decimal>());
        Assert.Equal("IV ≤ 0.5 mg/kg", Group(report, "byDoseBand", "iv-up-to-0.5")["label"]!.GetValue<string>());

        // The admin of the site reads the same figures (domain.md §9: the clinic-wide reports).
        var siteAdmin = factory.ClientAt(Http.Unique("admin"), "admin", clinic.SiteId);
        var asAdmin = await OutcomesClinic.Report(siteAdmin);
        Assert.Equal(report.ToJsonString(), asAdmin.ToJsonString());
    }

    [Fact]
    public async Task Report_FiltersByStartDateMedicationAndRoute()
    {
        var c = await OutcomesClinic.Create(factory, admin);
        var (early, earlyPlan) = await c.Plan("ketamine", "intravenous", "2026-02-02", 1);
        await c.Iv(early, earlyPlan, "2026-02-02", 35m);
        await c.Phq9(early, "2026-02-01", 20);
        await c.Phq9(early, "2026-02-09", 8);
        var (late, _) = await c.Plan("ketamine", "oral", "2026-03-02", 1);
        await c.Phq9(late, "2026-03-01", 20);
        await c.Phq9(late, "2026-03-09", 12);

        // from/to bound the plans' start dates, both inclusive: 02-02 is in [02-02, 03-01], 03-02 is not.
        var february = await OutcomesClinic.Report(c.Prescriber, "?from=2026-02-02&to=2026-03-01");
        Assert.Equal(1, february["overall"]!["plans"]!.GetValue<int>());
        Assert.Equal(["intravenous"], Keys(february, "byRoute"));
        Assert.Equal("2026-02-02", february["from"]!.GetValue<string>());

        var march = await OutcomesClinic.Report(c.Prescriber, "?from=2026-03-02&to=2026-03-02");
        Assert.Equal(["oral"], Keys(march, "byRoute"));
        // Oral ketamine has no §13 dose band: "not-banded", counted (12 > 10: no response).
        Assert.Equal(["not-banded"], Keys(march, "byDoseBand"));
        Figures(march["overall"]!["phq9"], 1, 0, 0, 0m, 0m, 0, null);

        var oral = await OutcomesClinic.Report(c.Prescriber, "?medication=ketamine&route=oral");
        Assert.Equal(1, oral["overall"]!["plans"]!.GetValue<int>());
        Assert.Equal("oral", oral["route"]!.GetValue<string>());
        var esketamine = await OutcomesClinic.Report(c.Prescriber, "?medication=esketamine");
        Assert.Equal(0, esketamine["overall"]!["plans"]!.GetValue<int>());
        Assert.Empty(esketamine["byRoute"]!.AsArray());
        Assert.Null(esketamine["overall"]!["phq9"]!["responseRate"]);
    }

    [Fact]
    public async Task Report_DoesNotCountAnotherSitesPlans()
    {
        // One responding plan at each of two sites: each site's prescriber counts only its own; one at both sites, two.
        var a = await OutcomesClinic.Create(factory, admin);
        var b = await OutcomesClinic.Create(factory, admin);
        foreach (var c in new[] { a, b })
        {
            var (patient, plan) = await c.Plan("ketamine", "intravenous", "2026-01-05", 1);
            await c.Iv(patient, plan, "2026-01-05", 35m);
            await c.Phq9(patient, "2026-01-02", 20);
            await c.Phq9(patient, "2026-01-12", 10);
        }

        var both = factory.ClientAt(Http.Unique("dr"), "prescriber", a.SiteId, b.SiteId);

        Figures((await OutcomesClinic.Report(a.Prescriber))["overall"]!["phq9"], 1, 1, 0, 1m, 0m, 1, 1.0m);
        Figures((await OutcomesClinic.Report(b.Prescriber))["overall"]!["phq9"], 1, 1, 0, 1m, 0m, 1, 1.0m);
        Figures((await OutcomesClinic.Report(both))["overall"]!["phq9"], 2, 2, 0, 1m, 0m, 2, 1.0m);
        var siteAdmin = factory.ClientAt(Http.Unique("admin"), "admin", a.SiteId);
        Assert.Equal(1, (await OutcomesClinic.Report(siteAdmin))["overall"]!["plans"]!.GetValue<int>());

        // siteId narrows a caller of both sites to one; naming a site you do not work at is 403.
        Assert.Equal(1, (await OutcomesClinic.Report(both, $"?siteId={b.SiteId}"))["overall"]!["plans"]!.GetValue<int>());
        await (await a.Prescriber.GetAsync($"/api/v1/reports/outcomes?siteId={b.SiteId}")).AssertProblem(HttpStatusCode.Forbidden, "site.not-assigned");
    }

    [Theory]
    [InlineData("?from=2026-13-01", "from")]
    [InlineData("?to=01/02/2026", "to")]
    [InlineData("?from=2026-03-02&to=2026-03-01", "to")]
    [InlineData("?medication=spravato", "medication")]
    [InlineData("?route=IV", "route")]
    public async Task Report_BadQuery_Is400NamingTheParameter(string query, string field)
    {
        var response = await admin.GetAsync("/api/v1/reports/outcomes" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadObject();
        Assert.Equal("validation", problem["code"]!.GetValue<string>());
        Assert.NotNull(problem["errors"]![field]);
    }

    [Fact]
    public async Task Report_EsketamineByAnotherRoute_Is422()
    {
        var response = await admin.GetAsync("/api/v1/reports/outcomes?medication=esketamine&route=oral");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("report.medication-route-not-allowed", (await response.ReadObject())["code"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("nurse")]
    [InlineData("front-desk")]
    [InlineData("integrator")]
    public async Task Report_IsForPrescribersAndAdminsOnly(string role)
    {
        var client = factory.ClientFor(Http.Unique(role), role);

        var response = await client.GetAsync("/api/v1/reports/outcomes");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Document_DeclaresJsonAndSvgForTheOkResponse()
    {
        var document = JsonNode.Parse(await factory.CreateClient().GetStringAsync("/swagger/v1/swagger.json"))!;

        var content = document["paths"]!["/api/v1/reports/outcomes"]!["get"]!["responses"]!["200"]!["content"]!.AsObject();

        Assert.Contains("application/json", content.Select(c => c.Key));
        Assert.Contains("image/svg+xml", content.Select(c => c.Key));
        Assert.Contains("OutcomesReportResponse", content["application/json"]!["schema"]!.ToJsonString());
        Assert.DoesNotContain("OutcomesReportResponse", content["image/svg+xml"]!.ToJsonString());
    }

    [Fact]
    public async Task AcceptSvg_ReturnsTheChart_JsonOtherwise()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/reports/outcomes");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("image/svg+xml"));
        var svg = await admin.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, svg.StatusCode);
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("<svg", await svg.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Accept", svg.Headers.Vary);

        // JSON when it is ranked higher, and with no Accept at all.
        var ranked = new HttpRequestMessage(HttpMethod.Get, "/api/v1/reports/outcomes");
        ranked.Headers.Accept.ParseAdd("image/svg+xml;q=0.5, application/json");
        Assert.Equal("application/json", (await admin.SendAsync(ranked)).Content.Headers.ContentType!.MediaType);
        Assert.Equal("application/json", (await admin.GetAsync("/api/v1/reports/outcomes")).Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Chart_HasABarPerGroupAndSeries_MatchingTheJson()
    {
        var clinic = await SixPlans(await OutcomesClinic.Create(factory, admin));
        var json = await OutcomesClinic.Report(clinic.Prescriber);
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/reports/outcomes");
        request.Headers.Accept.ParseAdd("image/svg+xml");
        var text = await (await clinic.Prescriber.SendAsync(request).EnsureStatus(HttpStatusCode.OK)).Content.ReadAsStringAsync();

        // Well-formed XML (labels such as "Adherence < 0.5" are escaped), sized, with a title; nothing active or external.
        var svg = XDocument.Parse(text).Root!;
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(ns + "svg", svg.Name);
        Assert.Equal("960", svg.Attribute("width")!.Value);
        Assert.Equal($"0 0 960 {svg.Attribute("height")!.Value}", svg.Attribute("viewBox")!.Value);
        Assert.Equal("Clinic outcomes: response and remission by group", svg.Element(ns + "title")!.Value);
        Assert.DoesNotContain(svg.Descendants(), e => e.Name.LocalName is "script" or "foreignObject" or "image" or "use" or "style");
        Assert.DoesNotContain(svg.DescendantsAndSelf().Attributes(), a => a.Name.LocalName == "href" || a.Name.LocalName.StartsWith("on", StringComparison.Ordinal)
            || a.Value.Contains("url(", StringComparison.Ordinal));
        Assert.DoesNotContain("http", text.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal), StringComparison.Ordinal);
        var texts = svg.Descendants(ns + "text").Select(t => t.Value).ToList();
        Assert.Contains("Percent", texts);
        Assert.Contains("100%", texts);
        Assert.Contains("Adherence < 0.5", texts);

        // Every group of every grouping: four bars whose n and rate are the JSON's, height = rate × 160 px, with an n label.
        var bars = svg.Descendants(ns + "rect").Where(r => r.Attribute("data-series") is not null).ToList();
        var groupings = new (string Panel, JsonNode[] Groups)[]
        {
            ("all", [json["overall"]!]),
            ("route", [.. json["byRoute"]!.AsArray().Select(g => g!)]),
            ("dose", [.. json["byDoseBand"]!.AsArray().Select(g => g!)]),
            ("adherence", [.. json["byAdherenceBand"]!.AsArray().Select(g => g!)]),
        };
        Assert.Equal(groupings.Sum(g => g.Groups.Length) * 4, bars.Count);
        foreach (var (panel, groups) in groupings)
        {
            foreach (var group in groups)
            {
                var key = group["key"]!.GetValue<string>();
                Assert.Contains(group["label"]!.GetValue<string>(), texts);
                foreach (var (series, instrument, rate) in new[]
                {
                    ("phq9-response", "phq9", "responseRate"), ("phq9-remission", "phq9", "remissionRate"),
                    ("madrs-response", "madrs", "responseRate"), ("madrs-remission", "madrs", "remissionRate"),
                })
                {
                    var bar = Assert.Single(bars, b => b.Attribute("data-panel")!.Value == panel && b.Attribute("data-group")!.Value == key
                        && b.Attribute("data-series")!.Value == series);
                    var figures = group[instrument]!;
                    var n = figures["counted"]!.GetValue<int>();
                    var expected = figures[rate]?.GetValue<decimal>();
                    Assert.Equal(n.ToString(CultureInfo.InvariantCulture), bar.Attribute("data-n")!.Value);
                    Assert.Equal(expected?.ToString(CultureInfo.InvariantCulture) ?? "", bar.Attribute("data-rate")!.Value);
                    Assert.Equal((double)(expected ?? 0m) * 160, double.Parse(bar.Attribute("height")!.Value, CultureInfo.InvariantCulture), 0.01);
                    // The n label sits just above the bar's top.
                    var top = double.Parse(bar.Attribute("y")!.Value, CultureInfo.InvariantCulture);
                    var x = double.Parse(bar.Attribute("x")!.Value, CultureInfo.InvariantCulture);
                    Assert.Contains(svg.Descendants(ns + "text"), t => t.Value == $"n={n}"
                        && Math.Abs(double.Parse(t.Attribute("x")!.Value, CultureInfo.InvariantCulture) - (x + 10)) <= 1
                        && Math.Abs(double.Parse(t.Attribute("y")!.Value, CultureInfo.InvariantCulture) - (top - 4)) <= 1);
                }
            }
        }

        // The overall PHQ-9 response bar: 4 of 6 → 0.6667 × 160 = 106.67 px.
        var overall = bars.Single(b => b.Attribute("data-panel")!.Value == "all" && b.Attribute("data-series")!.Value == "phq9-response");
        Assert.Equal("106.67", overall.Attribute("height")!.Value);
    }
}
