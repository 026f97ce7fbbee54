using ClinicTracker.Core.Data;
using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Patients;
using ClinicTracker.Core.Plans;
using ClinicTracker.Core.Sessions;
using ClinicTracker.Migrations.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ClinicTracker.Bench;

/// <summary>
/// A synthetic clinic in a SQLite file made by the real migrations: N active plans (half IV ketamine on
/// the iv-induction template, half esketamine on esketamine-standard), each with about 8 sessions of mixed
/// outcomes. Deterministic for a given N and "today", so two runs measure the same data.
/// </summary>
public static class BenchDatabase
{
    public const string FileName = "clinictracker.db";
    public const int DefaultPlans = 10_000;
    private const int Batch = 500;
    private const string User = "bench.seed";

    // A clinic group in three zones: the report resolves each zone once.
    private static readonly string[] Zones = ["America/New_York", "America/Chicago", "America/Los_Angeles"];

    public static DbContextOptions<ClinicDbContext> Options(string directory) =>
        new DbContextOptionsBuilder<ClinicDbContext>()
            .UseSqlite(
                new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, FileName), Pooling = true, ForeignKeys = true }.ToString(),
                sqlite => sqlite.MigrationsAssembly(SqliteMigrationsAssembly.Name))
            .Options;

    public static bool Exists(string directory) => File.Exists(Path.Combine(directory, FileName));

    /// <summary>Creates (or replaces) the database in <paramref name="directory"/> with <paramref name="plans"/> active plans.</summary>
    public static async Task SeedAsync(string directory, int plans, DateTime nowUtc, TextWriter log)
    {
        Directory.CreateDirectory(directory);
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(Path.Combine(directory, FileName + suffix));
        }

        var options = Options(directory);
        await using (var db = new ClinicDbContext(options))
        {
            await db.Database.MigrateAsync();
            // As the API does after migrating (DatabaseSetup): readers never block the writer.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }

        var random = new Random(20261127);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var sessions = 0;
        for (var first = 0; first < plans; first += Batch)
        {
            await using var db = new ClinicDbContext(options);
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var i = first; i < Math.Min(first + Batch, plans); i++)
            {
                sessions += AddPatientWithPlan(db, i, random, nowUtc);
            }

            await db.SaveChangesAsync();
        }

        await log.WriteLineAsync(FormattableString.Invariant(
            $"Seeded {plans} active plans and {sessions} sessions in {started.Elapsed.TotalSeconds:F1} s: {Path.Combine(directory, FileName)}"));
    }

    private static int AddPatientWithPlan(ClinicDbContext db, int i, Random random, DateTime nowUtc)
    {
        var patient = Patient.Register(
            new PatientDemographics(FormattableString.Invariant($"BENCH-{i:D6}"), "Bench", FormattableString.Invariant($"Patient{i:D6}"),
                new DateOnly(1950, 1, 1).AddDays(random.Next(0, 365 * 50)), Sex.Unknown, null),
            User, nowUtc);
        db.Patients.Add(patient);

        var zone = Zones[i % Zones.Length];
        var today = ClinicTime.LocalDate(nowUtc, zone);
        var esketamine = i % 2 == 1;
        var template = esketamine ? PlanTemplates.EsketamineStandard : PlanTemplates.IvInduction;
        // Started 1–6 weeks ago: induction mostly behind, some due dates still ahead.
        var start = today.AddDays(-random.Next(7, 43));
        var plan = TreatmentPlan.Create(
            patient.Id, esketamine ? Medication.Esketamine : Medication.Ketamine,
            esketamine ? AdministrationRoute.Intranasal : AdministrationRoute.Intravenous, start, zone, 1, template,
            PlanTemplates.Phases(template, start)!, esketamine ? 56m : null, esketamine ? null : 0.5m, User, nowUtc);
        db.Plans.Add(plan);

        // Most patients keep to the schedule; about one in four often does not.
        var attendance = random.NextDouble() < 0.75 ? 0.95 : 0.6;
        var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
        var dueDates = ScheduleGenerator.DueDates(start, plan.Phases, plan.ToleranceDays);
        var count = 0;
        var checkedInLeftOpen = false;
        for (var k = 0; k < 8; k++)
        {
            // IV induction has 6 due dates: the last two sessions are weekly boosters after it, tied to none.
            var day = k < dueDates.Count ? dueDates[k].Date : dueDates[^1].Date.AddDays(7 * (k - dueDates.Count + 1));
            day = day.AddDays(random.Next(-1, 2));
            var local = day.ToDateTime(new TimeOnly(9 + random.Next(0, 8), 0));
            var at = TimeZoneInfo.ConvertTimeToUtc(local, tz);
            var session = TreatmentSession.Schedule(plan, at, User, nowUtc);
            if (at < nowUtc.AddHours(-3))
            {
                var outcome = random.NextDouble() < attendance ? 0 : random.Next(1, 5);
                // domain.md §4: at most one session per patient checked in or in progress; a second one left open
                // stays a booking nobody closed (adherence: not-closed).
                if (outcome == 4 && checkedInLeftOpen)
                {
                    outcome = 5;
                }

                checkedInLeftOpen |= outcome == 4;
                Conclude(db, session, plan, at, outcome);
            }

            db.Sessions.Add(session);
            count++;
        }

        return count;
    }

    /// <summary>
    /// 0 = completed with a dose; 1 no-show; 2 cancelled (patient or clinic); 3 held; 4 left open (checked in, never
    /// closed); 5 left open as a booking (never checked in).
    /// </summary>
    private static void Conclude(ClinicDbContext db, TreatmentSession session, TreatmentPlan plan, DateTime at, int outcome)
    {
        switch (outcome)
        {
            case 0:
                session.CheckIn(70m, WeightBasis.Actual, at, User);
                var iv = plan.Route == AdministrationRoute.Intravenous;
                var facts = new DoseFacts(
                    session.Id, plan.PatientId, plan.Medication, plan.Route, iv ? 35m : 56m, at.AddMinutes(10),
                    iv ? at.AddMinutes(10) : null, iv ? at.AddMinutes(50) : null, iv ? null : 2, "BENCH-LOT", null);
                var dose = DoseEntry.Record(facts, 70m, null, [], User, at.AddMinutes(10));
                db.Doses.Add(dose);
                session.AddDose(dose.AmountUg, dose.AdministeredAt);
                session.Complete(at.AddMinutes(120), dose.EndedAt, User);
                break;
            case 1:
                session.MarkNoShow(at.AddHours(1), User);
                break;
            case 2:
                session.Cancel(at.Ticks % 2 == 0 ? CancelledBy.Patient : CancelledBy.Clinic, "rebooked", at.AddDays(-1), User);
                break;
            case 3:
                session.CheckIn(70m, WeightBasis.Actual, at, User);
                session.Hold("BP 150/95 after 15 minutes rest", at.AddMinutes(20), User);
                break;
            case 4:
                session.CheckIn(70m, WeightBasis.Actual, at, User);
                break;
            default:
                break;
        }
    }
}
