using System.Net;
using System.Text.Json.Nodes;
using ClinicTracker.Api.Clinicians;
using ClinicTracker.Api.Outcomes;
using ClinicTracker.Api.Patients;
using ClinicTracker.Api.Plans;
using ClinicTracker.Api.Sites;
using ClinicTracker.Api.Common;
using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Outcomes;
using ClinicTracker.Core.Sites;

namespace ClinicTracker.Api.Demo;

/// <summary>One step of the demo: a name for the progress line and the calls it makes.</summary>
public sealed record DemoStep(string Name, Func<CancellationToken, Task> RunAsync);

/// <summary>
/// The demo clinic, created through the API's own endpoints (ADR 0023): every rule, audit row and idempotency key
/// applies as for a front-end, and nothing is written by a second code path. History is recorded the way a clinic
/// catches up on paper records — session transitions, doses, observations and assessments carry their own past
/// times (api-outline.md, "Clinics also record what happened earlier") — so the clock is the real one. The content
/// is fixed (<see cref="DemoPeople"/>) and dated relative to today in the site's zone, so every run gives the same
/// counts. Each part of the record is a step of <see cref="Steps"/>, in the order a clinic would record it.
/// </summary>
public sealed partial class DemoClinic(DemoApi api, TimeProvider clock)
{
    /// <summary>The demo site's zone; plans and clinic-local dates use it (domain.md §14).</summary>
    public const string TimeZone = "America/Chicago";

    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    private readonly DateOnly today = Core.Plans.ClinicTime.Today(clock, TimeZone);

    /// <summary>What was created, for the command's summary (counts only: no patient data).</summary>
    public DemoCounts Counts { get; } = new();

    /// <summary>The steps in order: the site and the staff register before any record, patients with their courses after.</summary>
    public IReadOnlyList<DemoStep> Steps =>
    [
        new("site", SiteAsync),
        new("staff register", StaffAsync),
        // Controlled-substance stock is received before the first dose names a lot (Stock:Enforce).
        new("stock receipts", ReceiveStockAsync),
        new("patients, plans, sessions and assessments", PatientsAsync),
        new("stock count", CountStockAsync),
    ];

    public async Task RunAsync(Action<string> progress, CancellationToken ct = default)
    {
        foreach (var step in Steps)
        {
            progress(step.Name);
            await step.RunAsync(ct);
        }
    }

    /// <summary>The default site every install has, given the demo clinic's name, zone, address and a DEA number of zeros.</summary>
    private async Task SiteAsync(CancellationToken ct)
    {
        await api.PatchAsync(DemoPeople.Admin.UserName, $"/api/v1/sites/{Site.DefaultId}", new UpdateSiteRequest
        {
            Name = "Lakeside Mood Clinic (demo)",
            TimeZone = TimeZone,
            Address = "100 Example Avenue, Suite 0, Springfield (demo address)",
            // Valid check digit (DeaNumber), obviously no one's registration.
            DeaRegistration = "FD0000000",
        }, ct);
    }

    private async Task StaffAsync(CancellationToken ct)
    {
        foreach (var member in DemoPeople.Staff)
        {
            await api.PostAsync(DemoPeople.Admin.UserName, "/api/v1/clinicians", new RegisterClinicianRequest
            {
                UserName = member.UserName,
                DisplayName = member.DisplayName,
                Role = Roles.Parse(member.Role),
                RegistrationNumber = member.RegistrationNumber,
                // Admins and integrators may be granted every site (domain.md §14); staff work at the default one.
                AllSites = member.Role is Roles.Admin or Roles.Integrator ? true : null,
            }, ct: ct);
            Counts.Staff++;
        }
    }

    private async Task PatientsAsync(CancellationToken ct)
    {
        for (var i = 0; i < DemoPeople.PatientCount; i++)
        {
            await CourseAsync(i, ct);
        }
    }

    private async Task CourseAsync(int i, CancellationToken ct)
    {
        var patientId = Id(await api.PostAsync(DemoPeople.FrontDesk.UserName, "/api/v1/patients", new RegisterPatientRequest
        {
            Mrn = DemoPeople.Mrn(i),
            GivenName = DemoPeople.GivenName(i),
            FamilyName = DemoPeople.FamilyName(i),
            DateOfBirth = DemoPeople.DateOfBirth(i),
            Sex = DemoPeople.SexOf(i),
            Diagnosis = "Treatment-resistant depression, 2 failed adequate antidepressant trials (demo record)",
        }, ct: ct));
        Counts.Patients++;

        var iv = DemoPeople.IsIv(i);
        var start = StartDate(i);
        var phq9 = Phq9Totals(i, start);
        await AssessAsync(i, patientId, start.AddDays(-2), phq9[0], flagged: false, ct);

        var plan = await api.PostAsync(DemoPeople.Prescriber.UserName, $"/api/v1/patients/{patientId}/plans", new CreatePlanRequest
        {
            Medication = iv ? Medication.Ketamine : Medication.Esketamine,
            Route = iv ? AdministrationRoute.Intravenous : AdministrationRoute.Intranasal,
            StartDate = start,
            TimeZone = TimeZone,
            ToleranceDays = 1,
            // domain.md §6: Zheng 2019's six infusions; the Spravato label's schedule.
            Template = iv ? Core.Plans.PlanTemplates.IvInduction : Core.Plans.PlanTemplates.EsketamineStandard,
            TargetDoseMgPerKg = iv ? 0.5m : null,
            TargetDoseMg = iv ? null : 56m,
        }, ct: ct);
        var planId = Id(plan);
        Counts.Plans++;
        Counts.PlansBy[iv ? "ketamine intravenous" : "esketamine intranasal"] = Counts.PlansBy.GetValueOrDefault(iv ? "ketamine intravenous" : "esketamine intranasal") + 1;

        var (schedule, _) = await api.GetAsync(DemoPeople.FrontDesk.UserName, $"/api/v1/plans/{planId}/schedule", ct);
        var dueDates = schedule["dueDates"]!.AsArray().Select(d => (Index: d!["index"]!.GetValue<int>(), Date: DateOnly.Parse(d["date"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture))).ToList();
        var discontinueOn = i == DemoPeople.DiscontinuedPatient ? start.AddDays(23) : (DateOnly?)null;
        var course = new Course(i, patientId, planId);
        foreach (var (index, date) in dueDates)
        {
            // Only due dates whose window (± 1 day) has closed get history: the counts are the same whatever the weekday.
            if (date.AddDays(1) >= today || date > discontinueOn)
            {
                break;
            }

            await DueDateAsync(course, index, date, ct);
        }

        for (var week = 1; week < phq9.Count; week++)
        {
            await AssessAsync(i, patientId, start.AddDays(7 * week), phq9[week], flagged: i == DemoPeople.FlaggedPatient && week == phq9.Count - 1, ct);
        }

        await EndOrContinueAsync(course, start, dueDates.Select(d => d.Date), discontinueOn, ct);
    }

    /// <summary>IV plans start on a Monday (the template's Mon/Wed/Fri) 2–5 weeks back; esketamine plans 22–42 days back.</summary>
    private DateOnly StartDate(int i)
    {
        if (DemoPeople.IsIv(i))
        {
            var lastMonday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
            return lastMonday.AddDays(-7 * (2 + (i % 4)));
        }

        return today.AddDays(-(22 + ((i - DemoPeople.IvPatients) * 5 % 21)));
    }

    /// <summary>
    /// Completed IV courses older than four weeks are completed by the prescriber; the discontinued patient's plan is
    /// discontinued; every other plan stays active, with its next due date booked.
    /// </summary>
    private async Task EndOrContinueAsync(Course course, DateOnly start, IEnumerable<DateOnly> dueDates, DateOnly? discontinueOn, CancellationToken ct)
    {
        var prescriber = DemoPeople.Prescriber.UserName;
        if (DemoPeople.IsIv(course.Index) && course.Index % 4 >= 2)
        {
            var (_, etag) = await api.GetAsync(prescriber, $"/api/v1/plans/{course.PlanId}", ct);
            await api.PostAsync(prescriber, $"/api/v1/plans/{course.PlanId}/complete", new CompletePlanRequest { At = Local(start.AddDays(14), 12, 0) },
                HttpStatusCode.OK, etag, ct);
            Counts.PlansBy["completed"] = Counts.PlansBy.GetValueOrDefault("completed") + 1;
            return;
        }

        if (discontinueOn is { } day)
        {
            var (_, etag) = await api.GetAsync(prescriber, $"/api/v1/plans/{course.PlanId}", ct);
            await api.PostAsync(prescriber, $"/api/v1/plans/{course.PlanId}/discontinue", new DiscontinuePlanRequest
            {
                Reason = "Insufficient response after induction; referred for reassessment (demo).",
                At = Local(day, 12, 0),
            }, HttpStatusCode.OK, etag, ct);
            Counts.PlansBy["discontinued"] = Counts.PlansBy.GetValueOrDefault("discontinued") + 1;
            return;
        }

        if (dueDates.Where(d => d > today).Select(d => (DateOnly?)d).FirstOrDefault() is { } next)
        {
            await ScheduleAsync(course, Slot(course.Index, next), ct);
            Counts.Upcoming++;
        }
    }

    private async Task AssessAsync(int i, Guid patientId, DateOnly date, int total, bool flagged, CancellationToken ct)
    {
        await api.PostAsync(DemoPeople.Nurse.UserName, $"/api/v1/patients/{patientId}/assessments", new RecordAssessmentRequest
        {
            Instrument = Instrument.Phq9,
            Items = Phq9Items(i, date, total, flagged),
            AssessedAt = Local(date, 9, 30),
        }, ct: ct);
        Counts.Assessments++;
        if (flagged)
        {
            Counts.OpenSafetyFlags++;
        }
    }

    /// <summary>
    /// PHQ-9 totals, baseline first, then one a week up to yesterday, moving linearly from the baseline to the
    /// trajectory's last total with a point of wobble in between. Nobody but the remission patient goes below 5.
    /// </summary>
    private List<int> Phq9Totals(int i, DateOnly start)
    {
        var baseline = DemoPeople.BaselinePhq9(i);
        var weeks = 0;
        while (start.AddDays(7 * (weeks + 1)) < today)
        {
            weeks++;
        }

        var trajectory = DemoPeople.TrajectoryOf(i);
        var last = trajectory switch
        {
            DemoTrajectory.Remission => 4,
            // domain.md §7: response is at most half the baseline.
            DemoTrajectory.Responder => Math.Max(5, baseline * 2 / 5),
            DemoTrajectory.Partial => (int)Math.Round(baseline * 0.7m, MidpointRounding.AwayFromZero),
            _ => baseline - 1,
        };
        var totals = new List<int> { baseline };
        for (var w = 1; w <= weeks; w++)
        {
            var total = baseline - (int)Math.Round((baseline - last) * (decimal)w / weeks, MidpointRounding.AwayFromZero);
            var wobble = w == weeks ? 0 : ((i + w) % 3) - 1;
            totals.Add(Math.Clamp(total + wobble, w == weeks ? last : 5, 24));
        }

        return totals;
    }

    /// <summary>Nine item scores (0–3) adding up to <paramref name="total"/>; item 9 is 0 except on the one flagged assessment.</summary>
    private static List<int> Phq9Items(int i, DateOnly date, int total, bool flagged)
    {
        var items = new int[9];
        items[8] = flagged ? 1 : 0;
        var left = total - items[8];
        var next = (i + date.DayNumber) % 8;
        while (left > 0)
        {
            if (items[next] < 3)
            {
                items[next]++;
                left--;
            }

            next = (next + 3) % 8;
        }

        return [.. items];
    }

    private static Guid Id(JsonObject? body) => body!["id"]!.GetValue<Guid>();

    /// <summary>A clinic-local time on a date, as the UTC instant the API takes.</summary>
    private static DateTimeOffset Local(DateOnly date, int hour, int minute) =>
        new(TimeZoneInfo.ConvertTimeToUtc(date.ToDateTime(new TimeOnly(hour, minute)), Zone), TimeSpan.Zero);

    /// <summary>Each patient's usual slot: 08:30 to 14:45 in 75-minute steps.</summary>
    private static DateTimeOffset Slot(int i, DateOnly date)
    {
        var minutes = (8 * 60) + 30 + (i % 6 * 75);
        return Local(date, minutes / 60, minutes % 60);
    }

    private sealed record Course(int Index, Guid PatientId, Guid PlanId);
}

/// <summary>What the demo created, by kind: the command prints it, tests and docs quote it.</summary>
public sealed class DemoCounts
{
    public int Staff { get; set; }

    public int Patients { get; set; }

    public int Plans { get; set; }

    /// <summary>Plans by medication and route, plus how many were completed and discontinued.</summary>
    public SortedDictionary<string, int> PlansBy { get; } = new(StringComparer.Ordinal);

    /// <summary>Past sessions by final status (kebab-case, as the API spells it).</summary>
    public SortedDictionary<string, int> Sessions { get; } = new(StringComparer.Ordinal);

    /// <summary>Sessions booked for the next due date of each active plan.</summary>
    public int Upcoming { get; set; }

    public int Doses { get; set; }

    public int Overrides { get; set; }

    public int Observations { get; set; }

    public int Waste { get; set; }

    public int StockReceipts { get; set; }

    public int StockCounts { get; set; }

    public int AdverseEvents { get; set; }

    public int Assessments { get; set; }

    public int OpenSafetyFlags { get; set; }
}
