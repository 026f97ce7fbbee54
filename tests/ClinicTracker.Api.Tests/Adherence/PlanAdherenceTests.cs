using System.Net;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Adherence;

public sealed class PlanAdherenceTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    private readonly TreatmentData data = new(factory);

    private static readonly object[] IvInductionThenFridays =
    [
        new { name = "induction", sessions = 6, weekdays = new[] { "monday", "wednesday", "friday" } },
        new { name = "maintenance", sessions = 2, weekdays = new[] { "friday" } },
    ];

    [Fact]
    public async Task WorkedExample_FromDocsAdherenceMd_IsReproducedThroughTheApi()
    {
        // docs/adherence.md "Worked example": tolerance 1; induction Mon/Wed/Fri from Mon 2026-03-02 (6 due
        // dates: 02, 04, 06, 09, 11, 13), then Fridays 03-20 and 03-27 (the induction block is two whole
        // weeks, so maintenance starts Mon 03-16 and its Fridays are 20 and 27). Report date Mon 2026-03-23.
        var visits = new Visits(data);
        var patientId = await data.Patient();
        var planId = await visits.Plan(patientId, "2026-03-02", IvInductionThenFridays);
        var s1 = await visits.Completed(patientId, planId, visits.Local("2026-03-02", 10));
        var s2 = await visits.Completed(patientId, planId, visits.Local("2026-03-05", 10));
        await visits.NoShow(patientId, planId, visits.Local("2026-03-06", 10));
        var s4 = await visits.Completed(patientId, planId, visits.Local("2026-03-09", 10));
        await visits.Held(patientId, planId, visits.Local("2026-03-11", 10));
        var s6 = await visits.Completed(patientId, planId, visits.Local("2026-03-12", 10));
        var s7 = await visits.Completed(patientId, planId, visits.Local("2026-03-16", 10));
        await visits.Cancelled(patientId, planId, visits.Local("2026-03-20", 10), "patient");

        var report = await visits.Adherence(data.Nurse, planId, "2026-03-23");

        Assert.Equal(planId, report["planId"]!.GetValue<Guid>());
        Assert.Equal(patientId, report["patientId"]!.GetValue<Guid>());
        Assert.Equal("2026-03-23", report["asOf"]!.GetValue<string>());
        // The doc's due-date table, row by row.
        (string Due, string From, string To, string Status, Guid? Session, string? On, string? Why)[] rows =
        [
            ("2026-03-02", "2026-03-01", "2026-03-03", "on-time", s1, "2026-03-02", null),
            ("2026-03-04", "2026-03-03", "2026-03-05", "on-time", s2, "2026-03-05", null),
            ("2026-03-06", "2026-03-05", "2026-03-07", "missed", null, null, "no-show"),
            ("2026-03-09", "2026-03-08", "2026-03-10", "on-time", s4, "2026-03-09", null),
            ("2026-03-11", "2026-03-10", "2026-03-12", "on-time", s6, "2026-03-12", null),
            ("2026-03-13", "2026-03-12", "2026-03-14", "late", s7, "2026-03-16", null),
            ("2026-03-20", "2026-03-19", "2026-03-21", "missed", null, null, "cancelled-by-patient"),
            ("2026-03-27", "2026-03-26", "2026-03-28", "upcoming", null, null, null),
        ];
        Assert.Equal(rows, report["dueDates"]!.AsArray().Select(d => (
            d!["dueDate"]!.GetValue<string>(), d["windowStart"]!.GetValue<string>(), d["windowEnd"]!.GetValue<string>(),
            d["status"]!.GetValue<string>(), d["sessionId"]?.GetValue<Guid>(), d["sessionDate"]?.GetValue<string>(),
            d["missedReason"]?.GetValue<string>())));

        // The doc's report table: due 7 = 4 on time + 1 late + 2 missed; (4 + 1) / 7 = 0.7143; 4 / 7 = 0.5714;
        // completed 03-02, 05, 09, 12, 16 → gaps 3, 4, 3, 4 → longest 4; 03-23 − 03-16 = 7 days.
        Assert.Equal(7, report["due"]!.GetValue<int>());
        Assert.Equal(4, report["onTime"]!.GetValue<int>());
        Assert.Equal(1, report["late"]!.GetValue<int>());
        Assert.Equal(2, report["missed"]!.GetValue<int>());
        Assert.Equal(
            """{"no-show":1,"cancelled-by-patient":1,"cancelled-by-clinic":0,"held":0,"not-closed":0,"not-scheduled":0}""",
            report["missedByReason"]!.ToJsonString());
        Assert.Equal(0.7143m, report["adherenceRate"]!.GetValue<decimal>());
        Assert.Equal(0.5714m, report["onTimeRate"]!.GetValue<decimal>());
        Assert.Equal(4, report["longestGapDays"]!.GetValue<int>());
        Assert.Equal(7, report["daysSinceLastSession"]!.GetValue<int>());
        Assert.Equal("2026-03-27", report["nextDueDate"]!.GetValue<string>());
        Assert.False(report["inductionComplete"]!.GetValue<bool>());
        Assert.True(report["persistent"]!.GetValue<bool>());
    }

    [Fact]
    public async Task CheckInAt2330Local_CountsForThatLocalDay_ThoughItIsTheNextDayInUtc()
    {
        // Tolerance 0: the 03-04 due date takes a visit dated 03-04 only. Checked in Wed 2026-03-04 23:30 in
        // New York (EST, UTC−5) = 2026-03-05 04:30Z, completed after local midnight. Dated by UTC (or by
        // completion) it would be 03-05: after the window, so late.
        var visits = new Visits(data);
        var patientId = await data.Patient();
        var planId = await visits.Plan(patientId, "2026-03-04",
            [new { name = "induction", sessions = 2, everyDays = 7 }], toleranceDays: 0);
        var checkIn = visits.Local("2026-03-04", 23, 30);
        Assert.Equal(new DateTime(2026, 3, 5, 4, 30, 0, DateTimeKind.Utc), checkIn.UtcDateTime);
        var sessionId = await visits.Completed(patientId, planId, checkIn);

        var report = await visits.Adherence(data.Nurse, planId, "2026-03-20");

        var first = report["dueDates"]![0]!;
        Assert.Equal("on-time", first["status"]!.GetValue<string>());
        Assert.Equal(sessionId, first["sessionId"]!.GetValue<Guid>());
        Assert.Equal("2026-03-04", first["sessionDate"]!.GetValue<string>());
        // 03-11 [11..11]: nothing → missed, nothing booked → not-scheduled. 1 of 2 → 0.5.
        Assert.Equal("not-scheduled", report["dueDates"]![1]!["missedReason"]!.GetValue<string>());
        Assert.Equal(0.5m, report["adherenceRate"]!.GetValue<decimal>());
        Assert.Equal(0.5m, report["onTimeRate"]!.GetValue<decimal>());
        // 03-20 − 03-04 = 16.
        Assert.Equal(16, report["daysSinceLastSession"]!.GetValue<int>());
    }

    [Fact]
    public async Task NothingDueYet_RatesAreNull_AndAsOfDefaultsToTodayInThePlansZone()
    {
        var visits = new Visits(data);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeBySystemTimeZoneId(DateTime.UtcNow, visits.TimeZone));
        var start = today.AddDays(30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var patientId = await data.Patient();
        var planId = await visits.Plan(patientId, start, [new { name = "induction", sessions = 3, everyDays = 7 }]);

        var report = await visits.Adherence(data.Nurse, planId);

        // The test could straddle local midnight; either day is "today" for it.
        Assert.Contains(DateOnly.Parse(report["asOf"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture),
            new[] { today, today.AddDays(1) });
        Assert.Equal(0, report["due"]!.GetValue<int>());
        Assert.Null(report["adherenceRate"]);
        Assert.Null(report["onTimeRate"]);
        Assert.Null(report["longestGapDays"]);
        Assert.Null(report["daysSinceLastSession"]);
        Assert.Equal(start, report["nextDueDate"]!.GetValue<string>());
        Assert.All(report["dueDates"]!.AsArray(), d => Assert.Equal("upcoming", d!["status"]!.GetValue<string>()));
        Assert.Equal(3, report["dueDates"]!.AsArray().Count);
        Assert.False(report["inductionComplete"]!.GetValue<bool>());
        Assert.True(report["persistent"]!.GetValue<bool>());
    }

    [Fact]
    public async Task DiscontinuedPlan_DueDatesAfterDiscontinuationDoNotCount()
    {
        // IV induction template from Mon 2026-03-02: 02, 04, 06, 09, 11, 13. Discontinued 2026-03-05 15:00Z =
        // 10:00 in New York → discontinuedOn 03-05, so only 03-02 and 03-04 are reported.
        var visits = new Visits(data);
        var patientId = await data.Patient();
        var planId = (await data.Plan(patientId, startDate: "2026-03-02", timeZone: visits.TimeZone))["id"]!.GetValue<Guid>();
        await visits.Completed(patientId, planId, visits.Local("2026-03-02", 9));
        await data.Discontinue(planId, new { reason = "Patient moved away.", at = "2026-03-05T15:00:00Z" }).EnsureStatus(HttpStatusCode.OK);

        var report = await visits.Adherence(data.Prescriber, planId, "2026-04-01");

        Assert.Equal(["2026-03-02", "2026-03-04"], report["dueDates"]!.AsArray().Select(d => d!["dueDate"]!.GetValue<string>()));
        // 03-02 on time; 03-04 [03..05] closed with nothing → missed, not scheduled. 1 / 2 = 0.5.
        Assert.Equal(2, report["due"]!.GetValue<int>());
        Assert.Equal(1, report["onTime"]!.GetValue<int>());
        Assert.Equal(1, report["missedByReason"]!["not-scheduled"]!.GetValue<int>());
        Assert.Equal(0.5m, report["adherenceRate"]!.GetValue<decimal>());
        Assert.Null(report["nextDueDate"]);
        // The induction was cut short by the discontinuation.
        Assert.False(report["inductionComplete"]!.GetValue<bool>());
    }

    [Fact]
    public async Task CompletedPlan_DueDatesAfterCompletionDoNotCount()
    {
        // IV induction template from Mon 2026-03-02: 02, 04, 06, 09, 11, 13. All of the first four attended;
        // completed Tue 2026-03-10 at 11:00 in New York (15:00Z) → completedOn 03-10: 03-11 and 03-13 are
        // after it and drop out, like a discontinuation's (docs/adherence.md).
        var visits = new Visits(data);
        var patientId = await data.Patient();
        var planId = (await data.Plan(patientId, startDate: "2026-03-02", timeZone: visits.TimeZone))["id"]!.GetValue<Guid>();
        foreach (var day in new[] { "2026-03-02", "2026-03-04", "2026-03-06", "2026-03-09" })
        {
            await visits.Completed(patientId, planId, visits.Local(day, 9));
        }

        await visits.CompletePlan(planId, visits.Local("2026-03-10", 11)).EnsureStatus(HttpStatusCode.OK);

        var report = await visits.Adherence(data.Prescriber, planId, "2026-04-01");

        Assert.Equal(["2026-03-02", "2026-03-04", "2026-03-06", "2026-03-09"],
            report["dueDates"]!.AsArray().Select(d => d!["dueDate"]!.GetValue<string>()));
        // 4 due, 4 on time → 1. Nothing is due any more. Two induction due dates never came → not complete.
        Assert.Equal(4, report["due"]!.GetValue<int>());
        Assert.Equal(4, report["onTime"]!.GetValue<int>());
        Assert.Equal(1m, report["adherenceRate"]!.GetValue<decimal>());
        Assert.Null(report["nextDueDate"]);
        Assert.False(report["inductionComplete"]!.GetValue<bool>());
        // Persistence stops at the last reported due date (03-09): 03-09 − 03-09 = 0, although 04-01 is 23 days later.
        Assert.True(report["persistent"]!.GetValue<bool>());
        Assert.Equal(23, report["daysSinceLastSession"]!.GetValue<int>());
    }

    [Theory]
    // domain.md §10 rule 4: the latest not-completed session of the window by scheduled time explains the miss.
    [InlineData("no-show", "cancelled-by-patient", "cancelled-by-patient")]
    [InlineData("cancelled-by-patient", "no-show", "no-show")]
    public async Task MissedReason_TwoBookingsOnTheDueDay_TheLaterOneByTimeExplains(string at0900, string at1500, string expected)
    {
        // One due date Mon 2026-03-02, tolerance 1 (window 03-01..03-03); bookings at 09:00 and 15:00 local on
        // 03-02, neither completed. As of 03-10 the window is closed: missed, reason from the 15:00 booking.
        var visits = new Visits(data);
        var patientId = await data.Patient();
        var planId = await visits.Plan(patientId, "2026-03-02", [new { name = "induction", sessions = 1, everyDays = 7 }]);
        await Close(visits, patientId, planId, at0900, visits.Local("2026-03-02", 9));
        await Close(visits, patientId, planId, at1500, visits.Local("2026-03-02", 15));

        var report = await visits.Adherence(data.Nurse, planId, "2026-03-10");

        Assert.Equal(expected, report["dueDates"]![0]!["missedReason"]!.GetValue<string>());
        Assert.Equal(1, report["missedByReason"]![expected]!.GetValue<int>());
    }

    [Fact]
    public async Task MissedReason_ABookingNobodyClosed_IsNotClosed()
    {
        // Weekly Mon 2026-03-02 and 03-09, tolerance 1. 03-02: a no-show at 09:00, then a booking at 15:00 left
        // scheduled; 03-09 (window 03-08..03-10): a booking checked in at 10:00 and never finished.
        // As of 03-20 both windows closed without a completed visit. 03-02: the latest booking (15:00) is still
        // scheduled → not-closed, although an earlier no-show exists. 03-09: checked in → not-closed.
        // Due 2 = 2 missed; rate 0.
        var visits = new Visits(data);
        var patientId = await data.Patient();
        var planId = await visits.Plan(patientId, "2026-03-02", [new { name = "induction", sessions = 2, everyDays = 7 }]);
        await visits.NoShow(patientId, planId, visits.Local("2026-03-02", 9));
        await data.Session(patientId, planId, visits.Local("2026-03-02", 15));
        var checkedIn = await data.Session(patientId, planId, visits.Local("2026-03-09", 10));
        await data.CheckIn(checkedIn, 70m, visits.Local("2026-03-09", 10));

        var report = await visits.Adherence(data.Nurse, planId, "2026-03-20");

        Assert.Equal(["not-closed", "not-closed"], report["dueDates"]!.AsArray().Select(d => d!["missedReason"]!.GetValue<string>()));
        Assert.Equal(
            """{"no-show":0,"cancelled-by-patient":0,"cancelled-by-clinic":0,"held":0,"not-closed":2,"not-scheduled":0}""",
            report["missedByReason"]!.ToJsonString());
        Assert.Equal(0m, report["adherenceRate"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task OpenApi_MissedReasonEnum_ListsEveryReasonOfRule4()
    {
        var document = System.Text.Json.Nodes.JsonNode.Parse(await factory.CreateClient().GetStringAsync("/swagger/v1/swagger.json"))!;

        var reasons = document["components"]!["schemas"]!["MissedReason"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>());

        Assert.Equal(["no-show", "cancelled-by-patient", "cancelled-by-clinic", "held", "not-closed", "not-scheduled"], reasons);
    }

    private static async Task Close(Visits visits, Guid patientId, Guid planId, string how, DateTimeOffset scheduledAt)
    {
        switch (how)
        {
            case "no-show":
                await visits.NoShow(patientId, planId, scheduledAt);
                break;
            case "cancelled-by-patient":
                await visits.Cancelled(patientId, planId, scheduledAt, "patient");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(how), how, null);
        }
    }

    [Fact]
    public async Task PlanWithoutAnInductionPhase_TreatsItsFirstPhaseAsInduction()
    {
        // Phases "loading" (Mon 2026-01-05) then "maintenance" (Mon 01-12): no phase is named "induction", so
        // the first phase stands for it. As of 01-10 the loading visit was missed: induction not complete.
        // (Were no due date induction, the plan would have nothing left to do in that phase: complete.)
        var visits = new Visits(data);
        var patientId = await data.Patient();
        var planId = await visits.Plan(patientId, "2026-01-05",
        [
            new { name = "loading", sessions = 1, everyDays = 7 },
            new { name = "maintenance", sessions = 1, everyDays = 7 },
        ]);

        var report = await visits.Adherence(data.Nurse, planId, "2026-01-10");

        Assert.Equal(["missed", "upcoming"], report["dueDates"]!.AsArray().Select(d => d!["status"]!.GetValue<string>()));
        Assert.False(report["inductionComplete"]!.GetValue<bool>());
    }

    [Fact]
    public async Task UnknownPlan_Returns404Problem()
    {
        var response = await data.Nurse.GetAsync($"/api/v1/plans/{Guid.NewGuid()}/adherence");

        await response.AssertProblem(HttpStatusCode.NotFound, "not-found");
    }

    [Theory]
    [InlineData("2026-02-30")]
    [InlineData("03/02/2026")]
    [InlineData("2026-3-2")]
    [InlineData("2026-03-02T00:00:00Z")]
    public async Task MalformedAsOf_Returns400NamingAsOf(string asOf)
    {
        var patientId = await data.Patient();
        var planId = (await data.Plan(patientId))["id"]!.GetValue<Guid>();

        var response = await data.Nurse.GetAsync($"/api/v1/plans/{planId}/adherence?asOf={Uri.EscapeDataString(asOf)}");

        await response.AssertValidationError("asOf");
    }

    [Fact]
    public async Task Integrator_MayReadAdherence_AnonymousMayNot()
    {
        var patientId = await data.Patient();
        var planId = (await data.Plan(patientId))["id"]!.GetValue<Guid>();

        var integrator = factory.ClientFor("ehr.bridge", "integrator");
        await integrator.GetAsync($"/api/v1/plans/{planId}/adherence").EnsureStatus(HttpStatusCode.OK);
        await (await factory.CreateClient().GetAsync($"/api/v1/plans/{planId}/adherence"))
            .AssertProblem(HttpStatusCode.Unauthorized);
    }
}
