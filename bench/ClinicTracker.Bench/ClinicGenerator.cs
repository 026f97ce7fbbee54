using System.Diagnostics;
using ClinicTracker.Core.Clinicians;
using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Monitoring;
using ClinicTracker.Core.Outcomes;
using ClinicTracker.Core.Patients;
using ClinicTracker.Core.Plans;
using ClinicTracker.Core.Sessions;
using ClinicTracker.Core.Sites;
using static System.FormattableString;

namespace ClinicTracker.Bench;

/// <summary>The two sizes of the generated clinic (issue 11): patients and about how many sessions in all.</summary>
public sealed record GenerateSize(string Name, int Patients, int Sessions)
{
    public static readonly GenerateSize Small = new("small", 10_000, 100_000);
    public static readonly GenerateSize Large = new("large", 10_000, 1_000_000);

    public static GenerateSize? Parse(string? name) => name switch
    {
        "small" => Small,
        "large" => Large,
        _ => null,
    };
}

/// <summary>One generated site with the staff who work there (user names only: they are the register's, not people).</summary>
public sealed record GeneratedSite(Site Site, string Code, string Prescriber, string[] Nurses, string FrontDesk, double Share);

/// <summary>Everything a generation made, in memory, before it is written.</summary>
public sealed class GeneratedClinic
{
    public List<Site> NewSites { get; } = [];
    public List<Clinician> Clinicians { get; } = [];
    public List<Patient> Patients { get; } = [];
    public List<TreatmentPlan> Plans { get; } = [];
    public List<TreatmentSession> Sessions { get; } = [];
    public List<DoseEntry> Doses { get; } = [];
    public List<WasteEntry> Waste { get; } = [];
    public List<Observation> Observations { get; } = [];
    public List<Assessment> Assessments { get; } = [];
    public List<SafetyFlag> SafetyFlags { get; } = [];
}

/// <summary>
/// Builds a realistic clinic group in memory with the Core factories and domain methods (Patient.Register,
/// TreatmentPlan.Create/Complete/Discontinue, TreatmentSession.Schedule/CheckIn/Complete/…, DoseEntry.Record/Void,
/// Observation.Record, Assessment.Record, SafetyFlag.RaisedBy), and checks every dose with the same rules the API
/// applies (<see cref="DoseLimitChecker"/> on the patient's 24-hour total, <see cref="BpGate"/>, <see cref="CompletionCheck"/>):
/// a generated row the API would have refused is a bug here and stops the generation.
/// </summary>
/// <remarks>
/// <para>Deterministic for a seed and a "now": each patient has its own <see cref="Random"/> (seed, patient number), and
/// every id is a version-7 id whose time part is the instant its record was made (registration, booking, recording)
/// and whose random part comes from that generator. So ids sort in recording order as in a clinic that had been running,
/// and, written in id order, a patient's rows are spread over the tables as years of interleaved visits spread them.</para>
/// <para>Who is in it: patients spread over three sites (the default site the migration made plus two), each site with its
/// own zone; routes IV ketamine (0.5–0.75 mg/kg infusions over 40 min), esketamine (56/84 mg in 28 mg devices, sometimes
/// recorded device by device), oral and sublingual ketamine; plans from the templates (iv-induction, esketamine-standard)
/// followed by maintenance plans; most patients keep to schedule, about one in four falls behind (no-shows, cancellations
/// by patient or clinic, holds on a high pre-dose BP, due dates never booked, a few sessions left open); older plans
/// completed or discontinued, at most one active plan per patient; ~2 % of doses voided (mistyped lot) with a replacement;
/// IV waste with a witness; PHQ-9 every 4 weeks and MADRS every 8 (IV and esketamine), safety flags from PHQ-9 item 9;
/// ~2 % archived patients.</para>
/// <para>Two kinds of patient exist only for the benchmark: <see cref="LongHistoryPatients"/> synthetic stress patients with
/// <see cref="LongHistorySessions"/> daily oral-ketamine sessions each (~14 years; the deep page of session history), and
/// <see cref="WorkloadSessions"/> patients on oral ketamine whose session is under way now (checked in an hour ago at
/// 70 kg, pre-dose BP 122/78, first dose 25 mg: the dose and observation write workloads; see <see cref="BenchDatabase"/>).
/// Both are part of the patient and session totals.</para>
/// </remarks>
public sealed class ClinicGenerator
{
    public const int LongHistoryPatients = 5;
    public const int LongHistorySessions = 5_200;
    public const int WorkloadSessions = 2_000;
    public const string LongHistoryMrnPrefix = "LH";

    private const string Registrar = "bench.generate";

    /// <summary>Synthetic family names (no real patient's): ~80 patients share each, so a 3–4 letter prefix finds a page of them.</summary>
    private static readonly string[] FamilyNames =
    [
        "Abbott", "Acosta", "Adler", "Albright", "Alvarez", "Ambrose", "Archer", "Arnett", "Ashby", "Avery", "Baird", "Baldwin",
        "Barlow", "Bassett", "Beaumont", "Bellamy", "Benning", "Bishop", "Blanchard", "Bowman", "Bradford", "Brennan", "Bristow",
        "Burgess", "Calloway", "Camden", "Carver", "Castillo", "Chandler", "Chen", "Coleridge", "Conway", "Corbett", "Crane",
        "Dalton", "Darnell", "Delgado", "Dempsey", "Donovan", "Draper", "Dunbar", "Eastwood", "Ellison", "Emerson", "Espinoza",
        "Fairbanks", "Farrow", "Fenwick", "Fletcher", "Forsythe", "Galloway", "Garland", "Garrison", "Gibbons", "Goodwin",
        "Granger", "Hadley", "Halvorsen", "Harlow", "Hastings", "Hawthorne", "Hendricks", "Holloway", "Huxley", "Ingram",
        "Jarvis", "Jennings", "Kaplan", "Keaton", "Kendall", "Kessler", "Kingsley", "Lachance", "Langley", "Larkin", "Lindqvist",
        "Lockwood", "Lowell", "Maddox", "Marlowe", "Mercer", "Montoya", "Nakamura", "Navarro", "Norcross", "Oakley", "Okafor",
        "Ortega", "Pemberton", "Pritchard", "Quintero", "Radcliffe", "Ramsey", "Redmond", "Rhodes", "Rivera", "Rutherford",
        "Salazar", "Sanderson", "Sinclair", "Stanton", "Sutherland", "Tanaka", "Thornton", "Underwood", "Valdez", "Vance",
        "Wakefield", "Whitaker", "Winslow", "Yamamoto", "Zimmerman",
    ];

    private static readonly string[] GivenNames =
    [
        "Alex", "Blair", "Casey", "Dana", "Eli", "Frankie", "Gray", "Harper", "Indy", "Jordan", "Kai", "Logan", "Morgan", "Noel",
        "Oakley", "Parker", "Quinn", "Reese", "Sage", "Taylor", "Umi", "Val", "Wren", "Yael", "Zion",
    ];

    private static readonly DoseLimitsOptions Limits = new();
    private static readonly MonitoringOptions Monitoring = new();

    private readonly int seed;
    private readonly DateTime nowUtc;
    private readonly GenerateSize size;
    private readonly GeneratedClinic clinic = new();
    private readonly Dictionary<string, TimeZoneInfo> zones = new(StringComparer.Ordinal);
    private List<GeneratedSite> sites = [];

    public ClinicGenerator(GenerateSize size, int seed, DateTime nowUtc)
    {
        if (nowUtc.Kind != DateTimeKind.Utc)
        {
            throw new ArgumentException("The generator's clock must be UTC.", nameof(nowUtc));
        }

        this.size = size;
        this.seed = seed;
        // Whole seconds: every derived instant is then exact on both providers.
        this.nowUtc = new DateTime(nowUtc.Ticks - (nowUtc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }

    public IReadOnlyList<GeneratedSite> Sites => sites;

    /// <summary>Builds the clinic around the default site (<paramref name="defaultSite"/>, as the migration made it and the caller loaded it).</summary>
    public GeneratedClinic Build(Site defaultSite)
    {
        var random = new Random(seed);
        sites =
        [
            new GeneratedSite(defaultSite, "M", "dr.main", ["rn.main1", "rn.main2", "rn.main3"], "fd.main", 0.5),
            new GeneratedSite(NewSite("Bench North", "America/Chicago", "200 Lake St, Chicago IL", "FB2345672", random), "N",
                "dr.north", ["rn.north1", "rn.north2"], "fd.north", 0.3),
            new GeneratedSite(NewSite("Bench West", "America/Los_Angeles", "300 Bay St, Oakland CA", "MC3456781", random), "W",
                "dr.west", ["rn.west1", "rn.west2"], "fd.west", 0.2),
        ];
        // The default site's zone and registration as an admin would set them through the API (the API owns it after).
        defaultSite.Change("Bench Main", "America/New_York", "100 Main St, Boston MA", "AB1234563", true, Registrar, nowUtc.AddYears(-15));
        RegisterStaff(random);

        var regular = size.Patients - LongHistoryPatients;
        // Two future bookings per patient in treatment (~90 %) are sessions too.
        var budget = size.Sessions - (LongHistoryPatients * LongHistorySessions) - WorkloadSessions;
        var mean = ((double)budget / regular) - 1.8;
        var sequence = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < size.Patients; i++)
        {
            var rng = new Random(HashCode.Combine(seed, i));
            var site = PickSite(rng);
            var number = sequence[site.Code] = sequence.GetValueOrDefault(site.Code, 100_000) + 1;
            if (i < LongHistoryPatients)
            {
                LongHistoryPatient(rng, site, i);
            }
            else
            {
                // Workload patients are every fourth of the first 8,000 others, so they spread over sites and sizes of history.
                var workload = (i - LongHistoryPatients) % 4 == 0 && (i - LongHistoryPatients) / 4 < WorkloadSessions;
                RegularPatient(rng, site, Invariant($"{site.Code}{number:D6}"), mean, workload);
            }
        }

        return clinic;
    }

    private Site NewSite(string name, string zone, string address, string dea, Random random)
    {
        if (!DeaNumber.IsValid(dea))
        {
            throw new InvalidOperationException($"The bench DEA number {dea} has a wrong check digit.");
        }

        var created = nowUtc.AddYears(-15);
        var site = Site.Create(name, zone, address, dea, true, Registrar, created);
        Ids.Set(site, Ids.V7(created, random));
        clinic.NewSites.Add(site);
        return site;
    }

    /// <summary>
    /// The staff register (domain.md §9: the register is the ceiling): each site's own staff, who record the generated
    /// rows, and the benchmark's users, registered at every generated site (an integrator at all sites).
    /// </summary>
    private void RegisterStaff(Random random)
    {
        var all = sites.Select(s => s.Site.Id).ToList();
        var at = nowUtc.AddYears(-15);
        Add("bench.prescriber", "Benchmark prescriber", StaffRole.Prescriber, all);
        Add("bench.nurse", "Benchmark nurse", StaffRole.Nurse, all);
        Add("bench.frontdesk", "Benchmark front desk", StaffRole.FrontDesk, all);
        Add("bench.integrator", "Benchmark integrator", StaffRole.Integrator, [], allSites: true);
        foreach (var site in sites)
        {
            Add(site.Prescriber, $"Prescriber {site.Code}", StaffRole.Prescriber, [site.Site.Id]);
            foreach (var nurse in site.Nurses)
            {
                Add(nurse, $"Nurse {nurse}", StaffRole.Nurse, [site.Site.Id]);
            }

            Add(site.FrontDesk, $"Front desk {site.Code}", StaffRole.FrontDesk, [site.Site.Id]);
        }

        void Add(string user, string display, StaffRole role, List<Guid> siteIds, bool allSites = false)
        {
            var clinician = Clinician.Register(user, display, role, null, Registrar, at, siteIds, allSites);
            Ids.Set(clinician, Ids.V7(at, random));
            clinic.Clinicians.Add(clinician);
        }
    }

    private GeneratedSite PickSite(Random rng)
    {
        var x = rng.NextDouble();
        foreach (var site in sites)
        {
            if ((x -= site.Share) < 0)
            {
                return site;
            }
        }

        return sites[^1];
    }

    private TimeZoneInfo Zone(string id)
    {
        if (!zones.TryGetValue(id, out var zone))
        {
            zones[id] = zone = TimeZoneInfo.FindSystemTimeZoneById(id);
        }

        return zone;
    }

    private DateTime Utc(DateOnly day, int minuteOfDay, string zone) =>
        TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(new TimeOnly(minuteOfDay / 60, minuteOfDay % 60)), Zone(zone));

    private Patient Register(Random rng, GeneratedSite site, string mrn, DateTime registeredAt, string? given = null, string? family = null)
    {
        var dob = new DateOnly(1948, 1, 1).AddDays(rng.Next(0, 365 * 56));
        var sex = (Sex)rng.Next(0, 3);
        var patient = Patient.Register(new PatientDemographics(mrn, given ?? GivenNames[rng.Next(GivenNames.Length)],
                family ?? FamilyNames[rng.Next(FamilyNames.Length)], dob, sex, "Treatment-resistant depression (synthetic)"),
            site.Site.Id, site.FrontDesk, registeredAt);
        Ids.Set(patient, Ids.V7(registeredAt, rng));
        clinic.Patients.Add(patient);
        return patient;
    }

    /// <summary>A synthetic stress patient: daily oral-ketamine visits for ~14 years, plans of 200 due dates each (the phase maximum).</summary>
    private void LongHistoryPatient(Random rng, GeneratedSite site, int i)
    {
        const int perPlan = ScheduleGenerator.MaxSessions;
        var today = ClinicTime.LocalDate(nowUtc, site.Site.TimeZone);
        // The last two due dates are bookings for today and tomorrow; every earlier one has a session.
        var start = today.AddDays(-(LongHistorySessions - 2));
        var patient = Register(rng, site, Invariant($"{LongHistoryMrnPrefix}{i + 1:D4}"), Utc(start.AddDays(-14), 600, site.Site.TimeZone),
            "Stress", Invariant($"Longhistory{i + 1}"));
        // 50 mg (0.71 mg/kg): two visits less than 24 hours apart (a DST change, a late check-in) stay within 3.0 mg/kg.
        var track = new PatientTrack(patient, 70m) { FixedOralMg = 50m };
        var notBefore = patient.CreatedAt;
        for (var k = 0; k < LongHistorySessions / perPlan; k++)
        {
            var planStart = start.AddDays(k * perPlan);
            var last = k == (LongHistorySessions / perPlan) - 1;
            var plan = CreatePlan(rng, patient, site, Medication.Ketamine, AdministrationRoute.Oral, planStart, null,
                [new PlanPhase("maintenance", perPlan, 1, null)], 50m, null, notBefore);
            var planSessions = new List<TreatmentSession>();
            foreach (var due in plan.DueDates())
            {
                var at = Utc(due.Date, 540, plan.TimeZone);
                var outcome = at > nowUtc.AddHours(-3) ? Outcome.Booked : rng.NextDouble() < 0.92 ? Outcome.Completed : RandomMiss(rng);
                planSessions.Add(Visit(rng, track, plan, site, at, outcome));
            }

            if (!last)
            {
                // Completed the evening of its last visit; the next plan starts the next morning.
                notBefore = EndPlan(rng, plan, site, planSessions, completed: true, TimeSpan.FromHours(3));
            }
        }

        Assessments(rng, track, site, start, today, madrs: false);
    }

    private void RegularPatient(Random rng, GeneratedSite site, string mrn, double mean, bool workload)
    {
        var route = workload ? AdministrationRoute.Oral : rng.NextDouble() switch
        {
            < 0.40 => AdministrationRoute.Intravenous,
            < 0.70 => AdministrationRoute.Intranasal,
            < 0.88 => AdministrationRoute.Oral,
            _ => AdministrationRoute.Sublingual,
        };
        var medication = route == AdministrationRoute.Intranasal ? Medication.Esketamine : Medication.Ketamine;
        var target = Math.Max(3, (int)Math.Round(mean * (0.5 + rng.NextDouble())));
        var behind = rng.NextDouble() < 0.25;
        var archived = !workload && rng.NextDouble() < 0.02;
        var finished = archived || (!workload && rng.NextDouble() < 0.10);
        var zone = site.Site.TimeZone;
        var today = ClinicTime.LocalDate(nowUtc, zone);

        // The plan chain as due dates from a provisional start, then moved by whole weeks so that its last past visit is
        // in the week before today (weekday patterns of the templates stay as they are).
        var specs = PlanChain(rng, route, medication, target);
        var provisional = today.AddDays(-7 * (int)Math.Ceiling(specs.Sum(s => s.Days + s.Gap) / 7.0));
        var lastPast = specs.Aggregate(provisional, (start, s) => start.AddDays(s.Days + s.Gap)).AddDays(-1);
        var weeks = (today.DayNumber - 1 - lastPast.DayNumber) / 7;
        if (finished)
        {
            // Finished or archived patients ended treatment some weeks to a year ago.
            weeks -= rng.Next(2, 52);
        }

        var start = provisional.AddDays(7 * weeks);
        var patient = Register(rng, site, mrn, Utc(start.AddDays(-rng.Next(7, 30)), 600, zone));
        var track = new PatientTrack(patient, Math.Round(50m + (decimal)(rng.NextDouble() * 70), 1))
        {
            Behind = behind,
            LeaveOneOpen = !workload && behind && rng.NextDouble() < 0.15,
            DoseHorizon = workload ? nowUtc.AddHours(-27) : DateTime.MaxValue,
        };
        var firstStart = start;
        var lastDay = start;
        var notBefore = patient.CreatedAt;
        for (var k = 0; k < specs.Count; k++)
        {
            var spec = specs[k];
            var active = k == specs.Count - 1 && !finished;
            var plan = CreatePlan(rng, patient, site, medication, route, start, spec.Template, spec.Phases,
                medication == Medication.Esketamine ? 56m : route == AdministrationRoute.Intravenous ? null : spec.TargetMg,
                route == AdministrationRoute.Intravenous ? spec.TargetMgPerKg : null, notBefore);
            var planSessions = new List<TreatmentSession>();
            var futureBookings = 0;
            var dueDates = plan.DueDates();
            for (var d = 0; d < dueDates.Count && (active || d < spec.Used); d++)
            {
                var due = dueDates[d].Date;
                var at = Utc(due, 480 + (rng.Next(0, 16) * 30), zone);
                if (at > nowUtc.AddHours(-3))
                {
                    // The active plan's next visits are booked a week or two ahead; later due dates not yet.
                    if (!active || futureBookings == 2)
                    {
                        break;
                    }

                    if (workload && due <= today)
                    {
                        continue;
                    }

                    futureBookings++;
                    planSessions.Add(Visit(rng, track, plan, site, at, Outcome.Booked));
                    continue;
                }

                // Today's visit of a workload patient is the one in progress, added below; the day before stays free of
                // doses so the 24-hour totals of the write workloads start at its first dose only (domain.md §3).
                if (workload && at > nowUtc.AddHours(-30))
                {
                    continue;
                }

                var outcome = Attendance(rng, track, active);
                if (outcome == Outcome.NotScheduled)
                {
                    continue;
                }

                // Late visits of those who fall behind: a day or three after the due date.
                if (outcome == Outcome.Completed && behind && rng.NextDouble() < 0.3)
                {
                    at = at.AddDays(rng.Next(1, 4));
                    if (at > nowUtc.AddHours(-3))
                    {
                        continue;
                    }
                }

                planSessions.Add(Visit(rng, track, plan, site, at, outcome));
                lastDay = due;
            }

            if (workload && active)
            {
                planSessions.Add(WorkloadVisit(rng, track, plan, site));
            }

            if (!active)
            {
                // Most courses run their length; about one in four is stopped early (it used fewer due dates).
                notBefore = EndPlan(rng, plan, site, planSessions, completed: spec.Used == dueDates.Count, TimeSpan.FromDays(rng.Next(1, 4)));
                start = start.AddDays(spec.Days + spec.Gap);
            }
        }

        Assessments(rng, track, site, firstStart.AddDays(-2), finished ? lastDay : today, madrs: route is AdministrationRoute.Intravenous or AdministrationRoute.Intranasal);
        if (archived)
        {
            var at = Utc(lastDay.AddDays(rng.Next(30, 90)), 600, zone);
            patient.Archive(site.FrontDesk, at < nowUtc ? at : nowUtc.AddDays(-1));
        }
    }

    /// <summary>One plan of a patient's chain: its phases, how many of its due dates the patient went through, its length.</summary>
    private sealed record PlanSpec(string? Template, IReadOnlyList<PlanPhase> Phases, int Used, int Days, int Gap, decimal? TargetMg, decimal? TargetMgPerKg);

    /// <summary>
    /// A course from a template (or an induction for oral and sublingual ketamine), then maintenance plans of weekly or
    /// fortnightly visits, until about <paramref name="target"/> due dates; the last one open-ended when treatment goes on.
    /// </summary>
    private static List<PlanSpec> PlanChain(Random rng, AdministrationRoute route, Medication medication, int target)
    {
        var specs = new List<PlanSpec>();
        var remaining = target;
        var first = true;
        var targetMgPerKg = rng.NextDouble() < 0.8 ? 0.5m : 0.75m;
        var targetMg = route switch
        {
            AdministrationRoute.Oral => 100m,
            AdministrationRoute.Sublingual => 100m,
            _ => (decimal?)null,
        };
        while (remaining > 0)
        {
            string? template = null;
            IReadOnlyList<PlanPhase> phases;
            if (first && medication == Medication.Esketamine)
            {
                template = PlanTemplates.EsketamineStandard;
                phases = PlanTemplates.Phases(template, new DateOnly(2000, 1, 3))!;
            }
            else if (first && route == AdministrationRoute.Intravenous)
            {
                template = PlanTemplates.IvInduction;
                phases = PlanTemplates.Phases(template, new DateOnly(2000, 1, 3))!;
            }
            else if (first)
            {
                phases = [new PlanPhase(PlanTemplates.InductionPhase, 6, 3, null), new PlanPhase("maintenance", 12, 7, null)];
            }
            else
            {
                phases = [new PlanPhase("maintenance", Math.Min(ScheduleGenerator.MaxSessions, Math.Max(remaining, 4) + 10), rng.NextDouble() < 0.6 ? 7 : 14, null)];
            }

            var total = phases.Sum(p => p.Sessions);
            var last = remaining <= total;
            // A stopped course (discontinued) used part of its due dates; a full one (completed) all of them.
            var used = last ? Math.Min(remaining, total) : rng.NextDouble() < 0.25 ? Math.Max(2, total / 2) : total;
            // Days from the plan's start to the day after its last used due date (the weekly rhythm of the phases).
            var dates = ScheduleGenerator.DueDates(new DateOnly(2000, 1, 3), phases, 1);
            var days = dates[Math.Max(0, used - 1)].Date.DayNumber - new DateOnly(2000, 1, 3).DayNumber + 1;
            specs.Add(new PlanSpec(template, phases, used, days, last ? 0 : rng.Next(7, 30), targetMg, targetMgPerKg));
            remaining -= used;
            first = false;
        }

        return specs;
    }

    // notBefore: when the patient's previous plan ended (or the patient was registered): one active plan at a time.
    private TreatmentPlan CreatePlan(Random rng, Patient patient, GeneratedSite site, Medication medication, AdministrationRoute route,
        DateOnly start, string? template, IReadOnlyList<PlanPhase> phases, decimal? targetMg, decimal? targetMgPerKg, DateTime notBefore)
    {
        var createdAt = Utc(start.AddDays(-rng.Next(1, 5)), 660, site.Site.TimeZone);
        if (createdAt <= notBefore)
        {
            createdAt = notBefore.AddMinutes(10);
        }

        // Template phases depend on the start weekday (esketamine-standard's twice-weekly induction).
        var planPhases = template is null ? phases : PlanTemplates.Phases(template, start)!;
        var plan = TreatmentPlan.Create(patient.Id, site.Site.Id, medication, route, start, site.Site.TimeZone, 1, template, planPhases,
            targetMg, targetMgPerKg, site.Prescriber, createdAt);
        Ids.Set(plan, Ids.V7(createdAt, rng));
        clinic.Plans.Add(plan);
        return plan;
    }

    /// <summary>Completes or discontinues the plan <paramref name="after"/> its last visit; returns when.</summary>
    private DateTime EndPlan(Random rng, TreatmentPlan plan, GeneratedSite site, List<TreatmentSession> sessions, bool completed, TimeSpan after)
    {
        var lastVisit = sessions.Count == 0 ? plan.CreatedAt : sessions.Max(s => s.CompletedAt ?? s.EndedAt ?? s.ScheduledAt);
        var at = lastVisit + after;
        var refused = completed
            ? plan.Complete(at, site.Prescriber, sessions)
            : plan.Discontinue(rng.NextDouble() < 0.5 ? "insufficient response" : "patient request", at, site.Prescriber, sessions);
        Expect(refused is null, refused?.Detail);
        return at;
    }

    private enum Outcome
    {
        Completed,
        NoShow,
        CancelledByPatient,
        CancelledByClinic,
        Held,
        LeftOpen,
        Booked,
        NotScheduled,
    }

    private static Outcome Attendance(Random rng, PatientTrack track, bool activePlan)
    {
        var x = rng.NextDouble();
        if (!track.Behind)
        {
            return x < 0.93 ? Outcome.Completed : x < 0.99 ? RandomMiss(rng) : Outcome.NotScheduled;
        }

        if (x < 0.65)
        {
            return Outcome.Completed;
        }

        if (x < 0.67 && activePlan && track.LeaveOneOpen && !track.HasOpenSession)
        {
            return Outcome.LeftOpen;
        }

        return x < 0.88 ? RandomMiss(rng) : Outcome.NotScheduled;
    }

    private static Outcome RandomMiss(Random rng) => rng.Next(0, 7) switch
    {
        0 or 1 => Outcome.NoShow,
        2 or 3 => Outcome.CancelledByPatient,
        4 => Outcome.CancelledByClinic,
        _ => Outcome.Held,
    };

    /// <summary>Per patient: the dosing weight and every standing dose so far (the 24-hour limits are judged on them).</summary>
    private sealed class PatientTrack(Patient patient, decimal weightKg)
    {
        public Patient Patient { get; } = patient;

        public decimal WeightKg { get; } = weightKg;

        public bool Behind { get; init; }

        public bool LeaveOneOpen { get; init; }

        public bool HasOpenSession { get; set; }

        /// <summary>No dose after this instant but the workload visit's own (its 24-hour total starts at its first dose).</summary>
        public DateTime DoseHorizon { get; init; } = DateTime.MaxValue;

        /// <summary>Daily visits (the stress patients): a small fixed oral dose, so two within 24 hours stay within the limits.</summary>
        public decimal? FixedOralMg { get; init; }

        public List<(DateTime At, long Ug, Medication Medication)> Doses { get; } = [];

        public DateTime LastDoseAt { get; set; } = DateTime.MinValue;

        public Dictionary<Guid, decimal> PreviousCompletedTotalMg { get; } = [];

        public List<DateOnly> SessionDays { get; } = [];
    }

    /// <summary>One visit of a plan: booked a week or two ahead, then whatever <paramref name="outcome"/> says happened.</summary>
    private TreatmentSession Visit(Random rng, PatientTrack track, TreatmentPlan plan, GeneratedSite site, DateTime at, Outcome outcome)
    {
        // domain.md §3: sessions are days apart; a visit that would fall within a day of the last dose moves after it.
        if (outcome is Outcome.Completed && track.FixedOralMg is null && at < track.LastDoseAt.AddHours(25))
        {
            at = track.LastDoseAt.AddHours(25);
            if (at > nowUtc.AddHours(-3))
            {
                outcome = Outcome.NoShow;
                at = at.AddDays(-2);
            }
        }

        if (outcome is Outcome.Completed && at > track.DoseHorizon)
        {
            outcome = Outcome.NoShow;
        }

        var bookedAt = at.AddDays(-rng.Next(3, 15));
        if (bookedAt < plan.CreatedAt)
        {
            bookedAt = plan.CreatedAt.AddMinutes(5);
        }

        var nurse = site.Nurses[rng.Next(site.Nurses.Length)];
        var session = TreatmentSession.Schedule(plan, at, site.FrontDesk, bookedAt);
        Ids.Set(session, Ids.V7(bookedAt, rng));
        clinic.Sessions.Add(session);
        var checkIn = at.AddMinutes(rng.Next(-10, 15));
        switch (outcome)
        {
            case Outcome.Completed:
                Treat(rng, track, plan, site, session, checkIn, nurse);
                break;
            case Outcome.NoShow:
                Expect(session.MarkNoShow(at.AddMinutes(45), site.FrontDesk) is null);
                break;
            case Outcome.CancelledByPatient:
                Expect(session.Cancel(CancelledBy.Patient, "patient unwell", at.AddDays(-1) > bookedAt ? at.AddDays(-1) : bookedAt.AddMinutes(1), site.FrontDesk) is null);
                break;
            case Outcome.CancelledByClinic:
                Expect(session.Cancel(CancelledBy.Clinic, "clinic closed (staffing)", at.AddDays(-2) > bookedAt ? at.AddDays(-2) : bookedAt.AddMinutes(1), site.FrontDesk) is null);
                break;
            case Outcome.Held:
                Expect(session.CheckIn(Weight(rng, track), WeightBasis.Actual, checkIn, nurse) is null);
                var systolic = 146 + rng.Next(0, 20);
                var diastolic = 88 + rng.Next(4, 12);
                AddObservation(rng, session, ObservationKind.BloodPressure, systolic, diastolic, null, checkIn.AddMinutes(5), nurse);
                AddObservation(rng, session, ObservationKind.BloodPressure, systolic - 2, diastolic - 1, null, checkIn.AddMinutes(20), nurse);
                Expect(session.Hold(Invariant($"BP above 140/90 after 15 minutes rest"), checkIn.AddMinutes(22), nurse) is null);
                break;
            case Outcome.LeftOpen:
                // Checked in and never closed (adherence: not-closed); domain.md §4 allows one such session per patient.
                Expect(session.CheckIn(Weight(rng, track), WeightBasis.Actual, checkIn, nurse) is null);
                track.HasOpenSession = true;
                break;
            default:
                break;
        }

        return session;
    }

    private static decimal Weight(Random rng, PatientTrack track) => track.WeightKg + Math.Round((decimal)(rng.NextDouble() * 3 - 1.5), 1);

    /// <summary>
    /// A visit that went to plan: check-in with weight, pre-dose BP within the gate (domain.md §4), the dose(s) within
    /// the limits (§3) as the route gives them, the monitoring the route needs before completion (§4), waste with a
    /// witness (§8), then discharge. Each step is checked with the rule the API applies to it.
    /// </summary>
    private void Treat(Random rng, PatientTrack track, TreatmentPlan plan, GeneratedSite site, TreatmentSession session, DateTime checkIn, string nurse)
    {
        var weight = Weight(rng, track);
        Expect(session.CheckIn(weight, rng.NextDouble() < 0.1 ? WeightBasis.Ideal : WeightBasis.Actual, checkIn, nurse) is null);
        var readings = new List<BpReading>();
        var preDose = AddObservation(rng, session, ObservationKind.BloodPressure, 112 + rng.Next(0, 26), 68 + rng.Next(0, 20), null, checkIn.AddMinutes(4), nurse);
        readings.Add(preDose.AsBpReading()!);
        var firstDoseAt = checkIn.AddMinutes(12);
        Expect(BpGate.Evaluate(Monitoring, readings, firstDoseAt).Outcome == BpGateOutcome.Passed, "BP gate");

        var lot = Invariant($"{(plan.Medication == Medication.Esketamine ? "E" : "K")}{site.Code}{firstDoseAt:yyMM}");
        var doses = new List<DoseEntry>();
        DateTime completeAt;
        DateTime? lastInfusionStart = null;
        switch (plan.Route)
        {
            case AdministrationRoute.Intravenous:
            {
                // 0.5 or 0.75 mg/kg (the plan's target) over 40 minutes (Fava 2018), to 0.1 mg below.
                var mg = Math.Floor(weight * (plan.TargetDoseMgPerKg ?? 0.5m) * 10) / 10;
                var end = firstDoseAt.AddMinutes(40);
                doses.Add(GiveDose(rng, track, plan, session, weight, mg, firstDoseAt, firstDoseAt, end, null, lot, nurse));
                lastInfusionStart = firstDoseAt;
                AddObservation(rng, session, ObservationKind.BloodPressure, 115 + rng.Next(0, 24), 70 + rng.Next(0, 18), null, firstDoseAt.AddMinutes(20), nurse, readings);
                if (rng.NextDouble() < 0.5)
                {
                    AddObservation(rng, session, ObservationKind.HeartRate, null, null, 62 + rng.Next(0, 30), firstDoseAt.AddMinutes(20), nurse);
                }
                else
                {
                    AddObservation(rng, session, ObservationKind.Spo2, null, null, rng.NextDouble() < 0.004 ? 88 : 94 + rng.Next(0, 7), firstDoseAt.AddMinutes(20), nurse);
                }
                completeAt = end.AddMinutes(25 + rng.Next(0, 20));
                if (rng.NextDouble() < 0.5 && mg % 10 != 0)
                {
                    // The vial's rest (10 mg steps drawn up), destroyed in front of a second nurse (domain.md §8).
                    AddWaste(rng, session, plan, 10 - (mg % 10), completeAt.AddMinutes(-5), lot, nurse, site);
                }

                break;
            }

            case AdministrationRoute.Intranasal:
            {
                // Spravato label: 56 mg to start (28 mg from 65), then 56 or 84 mg, changes in 28 mg steps.
                var age = DoseRecorder.AgeOn(track.Patient.DateOfBirth, DateOnly.FromDateTime(firstDoseAt));
                var previous = track.PreviousCompletedTotalMg.GetValueOrDefault(plan.Id);
                var devices = previous == 0 ? (age >= Limits.IntranasalEsketamine.SeniorAge ? 1 : 2)
                    : Math.Min(3, (int)(previous / 28) + (rng.NextDouble() < 0.5 ? 1 : 0));
                if (rng.NextDouble() < 0.3)
                {
                    // Recorded device by device, five minutes apart.
                    for (var d = 0; d < devices; d++)
                    {
                        doses.Add(GiveDose(rng, track, plan, session, weight, 28m, firstDoseAt.AddMinutes(5 * d), null, null, 1, lot, nurse));
                    }
                }
                else
                {
                    doses.Add(GiveDose(rng, track, plan, session, weight, 28m * devices, firstDoseAt, null, null, devices, lot, nurse));
                }

                // Spravato REMS: BP ~40 min after the first device, and at discharge; CADSS and MOAA/S at the same round.
                AddObservation(rng, session, ObservationKind.BloodPressure, 118 + rng.Next(0, 24), 72 + rng.Next(0, 16), null, firstDoseAt.AddMinutes(40), nurse, readings);
                AddObservation(rng, session, ObservationKind.Cadss, null, null, rng.Next(0, 14), firstDoseAt.AddMinutes(40), nurse);
                if (rng.NextDouble() < 0.5)
                {
                    AddObservation(rng, session, ObservationKind.Moaas, null, null, rng.NextDouble() < 0.002 ? 0 : 3 + rng.Next(0, 3), firstDoseAt.AddMinutes(40), nurse);
                }
                completeAt = firstDoseAt.AddMinutes(Monitoring.EsketamineObservationMinutes + 5 + rng.Next(0, 20));
                break;
            }

            default:
            {
                // Oral: 1–2 mg/kg to 5 mg (≤ 3 mg/kg soft); sublingual troches of 50–150 mg (≤ 200 mg soft).
                var mg = track.FixedOralMg ?? (plan.Route == AdministrationRoute.Oral
                    ? Math.Min(200m, Math.Max(25m, Math.Floor(weight * (1m + (decimal)rng.NextDouble()) / 5) * 5))
                    : 50m * rng.Next(1, 4));
                doses.Add(GiveDose(rng, track, plan, session, weight, mg, firstDoseAt, null, null, null, lot, nurse));
                AddObservation(rng, session, ObservationKind.BloodPressure, 115 + rng.Next(0, 24), 70 + rng.Next(0, 18), null, firstDoseAt.AddMinutes(45), nurse, readings);
                if (plan.Route == AdministrationRoute.Oral)
                {
                    AddObservation(rng, session, ObservationKind.HeartRate, null, null, 60 + rng.Next(0, 30), firstDoseAt.AddMinutes(45), nurse);
                }

                completeAt = firstDoseAt.AddMinutes(70 + rng.Next(0, 30));
                break;
            }
        }

        if (plan.Route is AdministrationRoute.Intravenous or AdministrationRoute.Intranasal)
        {
            AddObservation(rng, session, ObservationKind.BloodPressure, 112 + rng.Next(0, 22), 68 + rng.Next(0, 18), null, completeAt.AddMinutes(-8), nurse, readings);
        }

        // About 2 % of doses were entered with a mistyped lot: a prescriber voids them (domain.md §8) and the nurse
        // records the replacement, which points at the voided entry.
        if (rng.NextDouble() < 0.02)
        {
            var wrong = doses[0];
            var voidedAt = completeAt.AddMinutes(-3);
            Expect(wrong.Void("lot number mistyped", site.Prescriber, voidedAt) is null);
            track.Doses.RemoveAll(d => d.At == wrong.AdministeredAt && d.Ug == wrong.AmountUg);
            session.RemoveDose(wrong.AmountUg, doses.Skip(1).Select(d => (DateTime?)d.AdministeredAt).Min());
            var facts = new DoseFacts(session.Id, session.PatientId, wrong.Medication, wrong.Route, wrong.AmountMg, wrong.AdministeredAt,
                wrong.InfusionStartedAt, wrong.InfusionEndedAt, wrong.DeviceCount, lot, wrong.Id);
            var replacement = DoseEntry.Record(facts, lotId: null, weight, null, [], nurse, voidedAt.AddMinutes(1));
            Ids.Set(replacement, Ids.V7(voidedAt.AddMinutes(1), rng));
            clinic.Doses.Add(replacement);
            track.Doses.Add((replacement.AdministeredAt, replacement.AmountUg, replacement.Medication));
            session.AddDose(replacement.AmountUg, replacement.AdministeredAt);
        }

        var lastEnd = doses.Max(d => d.EndedAt);
        var missing = CompletionCheck.Evaluate(Monitoring, plan.Medication, plan.Route, session.FirstDoseAt!.Value, lastInfusionStart, readings, completeAt);
        Expect(missing.Count == 0, string.Join(", ", missing.Select(m => m.Code)));
        Expect(session.Complete(completeAt, lastEnd, nurse) is null);
        track.PreviousCompletedTotalMg[plan.Id] = session.DoseTotalMg;
        track.SessionDays.Add(plan.LocalDate(checkIn));
    }

    /// <summary>Records one dose after judging it as the API would: the patient's 24-hour total of the medication (domain.md §3) within the soft limits.</summary>
    private DoseEntry GiveDose(Random rng, PatientTrack track, TreatmentPlan plan, TreatmentSession session, decimal weight, decimal mg,
        DateTime at, DateTime? infusionStart, DateTime? infusionEnd, int? devices, string lot, string nurse)
    {
        var prior = track.Doses.Where(d => d.Medication == plan.Medication && d.At > at - DoseWindow.Length && d.At <= at).Sum(d => d.Ug);
        var context = new DoseContext(plan.Medication, plan.Route, Core.Common.Amounts.ToMg(prior), mg, weight,
            infusionStart is { } s && infusionEnd is { } e ? Infusions.Minutes(s, e) : null,
            DoseRecorder.AgeOn(track.Patient.DateOfBirth, plan.LocalDate(at)),
            !track.PreviousCompletedTotalMg.ContainsKey(plan.Id),
            track.PreviousCompletedTotalMg.TryGetValue(plan.Id, out var previous) ? previous : null);
        var check = DoseLimitChecker.Check(Limits, context);
        Expect(check.Hard is null && check.Warnings.Count == 0,
            string.Join(", ", check.Warnings.Select(w => w.Code).Append(check.Hard?.Code ?? "")));
        var recordedAt = (infusionEnd ?? at).AddMinutes(1);
        var dose = DoseEntry.Record(new DoseFacts(session.Id, session.PatientId, plan.Medication, plan.Route, mg, at, infusionStart, infusionEnd, devices, lot, null),
            lotId: null, weight, null, [], nurse, recordedAt);
        Ids.Set(dose, Ids.V7(recordedAt, rng));
        clinic.Doses.Add(dose);
        session.AddDose(dose.AmountUg, dose.AdministeredAt);
        track.Doses.Add((dose.AdministeredAt, dose.AmountUg, dose.Medication));
        track.LastDoseAt = dose.AdministeredAt > track.LastDoseAt ? dose.AdministeredAt : track.LastDoseAt;
        if (track.Doses.Count > 16)
        {
            track.Doses.RemoveAt(0);
        }

        return dose;
    }

    /// <summary>
    /// The workload patient's visit of today (BenchDatabase's dose workload): checked in an hour ago at 70 kg, pre-dose
    /// BP 122/78, a first dose of 25 mg oral ketamine. Later doses of 0.25 mg each stay under the 24-hour soft limit of
    /// 3.0 mg/kg = 210 mg (domain.md §3) for 740 of them.
    /// </summary>
    private TreatmentSession WorkloadVisit(Random rng, PatientTrack track, TreatmentPlan plan, GeneratedSite site)
    {
        var checkedInAt = nowUtc.AddHours(-1);
        var bookedAt = checkedInAt.AddDays(-7) > plan.CreatedAt ? checkedInAt.AddDays(-7) : plan.CreatedAt.AddMinutes(5);
        var nurse = site.Nurses[0];
        var session = TreatmentSession.Schedule(plan, checkedInAt, site.FrontDesk, bookedAt);
        Ids.Set(session, Ids.V7(bookedAt, rng));
        clinic.Sessions.Add(session);
        Expect(session.CheckIn(BenchDatabase.DoseWorkloadWeightKg, WeightBasis.Actual, checkedInAt, nurse) is null);
        var bp = AddObservation(rng, session, ObservationKind.BloodPressure, 122, 78, null, checkedInAt.AddMinutes(5), nurse);
        Expect(BpGate.Evaluate(Monitoring, [bp.AsBpReading()!], checkedInAt.AddMinutes(10)).Outcome == BpGateOutcome.Passed, "BP gate");
        GiveDose(rng, track, plan, session, BenchDatabase.DoseWorkloadWeightKg, BenchDatabase.DoseWorkloadFirstDoseMg, checkedInAt.AddMinutes(10),
            null, null, null, "BENCH-LOT", nurse);
        return session;
    }

    private Observation AddObservation(Random rng, TreatmentSession session, ObservationKind kind, int? systolic, int? diastolic, int? value,
        DateTime at, string nurse, List<BpReading>? readings = null)
    {
        Expect(ObservationRules.Validate(kind, systolic, diastolic, value).Count == 0, kind.ToString());
        var recordedAt = at.AddMinutes(1);
        var observation = Observation.Record(session.Id, session.PatientId, kind, systolic, diastolic, value, at, nurse, recordedAt);
        Ids.Set(observation, Ids.V7(recordedAt, rng));
        clinic.Observations.Add(observation);
        readings?.Add(observation.AsBpReading()!);
        if (observation.FlagsSession)
        {
            // domain.md §5: MOAA/S 0 or SpO2 below 90 flags the session.
            session.SetFlagged(true);
        }

        return observation;
    }

    private void AddWaste(Random rng, TreatmentSession session, TreatmentPlan plan, decimal mg, DateTime at, string lot, string nurse, GeneratedSite site)
    {
        // domain.md §8: the witness is an active nurse or prescriber who neither records the waste nor gave a dose of the session.
        var witness = site.Nurses.FirstOrDefault(n => n != nurse) ?? site.Prescriber;
        var waste = WasteEntry.Record(session.Id, session.PatientId, plan.Medication, mg, at, lot, lotId: null, witness, nurse, at.AddMinutes(1));
        Ids.Set(waste, Ids.V7(at.AddMinutes(1), rng));
        clinic.Waste.Add(waste);
    }

    /// <summary>
    /// PHQ-9 every four weeks from a baseline two days before the first plan (and MADRS every eight for IV and esketamine),
    /// valid answers (domain.md §7) whose total follows the course: about 55 % respond (total falls towards a third of the
    /// baseline over ten weeks). PHQ-9 item 9 above 0 in ~4 % raises a safety flag, acknowledged by the prescriber when
    /// older than two days.
    /// </summary>
    private void Assessments(Random rng, PatientTrack track, GeneratedSite site, DateOnly from, DateOnly to, bool madrs)
    {
        var responder = rng.NextDouble() < 0.55;
        var phqBaseline = 15 + rng.Next(0, 10);
        var madrsBaseline = 26 + rng.Next(0, 16);
        for (var day = from; day <= to; day = day.AddDays(28))
        {
            var weeks = (day.DayNumber - from.DayNumber) / 7.0;
            var factor = responder ? Math.Max(0.3, 1 - (0.07 * weeks)) : 1 - (0.01 * Math.Min(weeks, 10));
            var at = Utc(day, 570, site.Site.TimeZone);
            if (at > nowUtc.AddHours(-1))
            {
                break;
            }

            Record(Instrument.Phq9, (int)Math.Round(phqBaseline * factor) + rng.Next(-2, 3), at);
            if (madrs && ((day.DayNumber - from.DayNumber) / 28) % 2 == 0)
            {
                Record(Instrument.Madrs, (int)Math.Round(madrsBaseline * factor) + rng.Next(-3, 4), at.AddMinutes(20));
            }
        }

        void Record(Instrument instrument, int total, DateTime at)
        {
            var items = Items(rng, instrument, total);
            var recordedAt = at.AddMinutes(10);
            var assessment = Assessment.Record(track.Patient.Id, instrument, items, at, instrument == Instrument.Madrs ? site.Prescriber : site.Nurses[0], recordedAt);
            Ids.Set(assessment, Ids.V7(recordedAt, rng));
            clinic.Assessments.Add(assessment);
            if (SafetyFlag.RaisedBy(assessment, recordedAt) is { } flag)
            {
                Ids.Set(flag, Ids.V7(recordedAt, rng));
                if (recordedAt < nowUtc.AddDays(-2))
                {
                    Expect(flag.Acknowledge("safety plan reviewed with the patient", site.Prescriber, recordedAt.AddHours(3)) is null);
                }

                clinic.SafetyFlags.Add(flag);
            }
        }
    }

    /// <summary>Answers that add up to <paramref name="total"/> (clamped to the instrument's range); PHQ-9 item 9 stays 0 but for ~4 %.</summary>
    private static int[] Items(Random rng, Instrument instrument, int total)
    {
        var count = AssessmentScoring.ItemCount(instrument);
        var max = AssessmentScoring.MaxItemScore(instrument);
        var items = new int[count];
        var selfHarm = instrument == Instrument.Phq9 && rng.NextDouble() < 0.04;
        var open = instrument == Instrument.Phq9 && !selfHarm ? count - 1 : count;
        total = Math.Clamp(total, selfHarm ? 1 : 0, open * max);
        for (var given = 0; given < total;)
        {
            var i = rng.Next(0, open);
            if (items[i] < max && (!selfHarm || i != AssessmentScoring.Phq9SelfHarmItemIndex || items[i] < 2))
            {
                items[i]++;
                given++;
            }
        }

        if (selfHarm && items[AssessmentScoring.Phq9SelfHarmItemIndex] == 0)
        {
            // Move one point onto item 9 so the flag is raised.
            var donor = Array.FindIndex(items, v => v > 0);
            items[donor]--;
            items[AssessmentScoring.Phq9SelfHarmItemIndex]++;
        }

        return items;
    }

    [StackTraceHidden]
    private static void Expect(bool holds, string? what = null)
    {
        if (!holds)
        {
            // Ids only and rule codes: the generated names are synthetic, but the rule is the same everywhere.
            throw new InvalidOperationException($"The generator made a row the domain refuses: {what}");
        }
    }
}
