using System.Globalization;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Monitoring;
using ClinicTracker.Core.Patients;
using ClinicTracker.Core.Plans;
using ClinicTracker.Core.Sessions;
using ClinicTracker.Migrations.Postgres;
using ClinicTracker.Migrations.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using ClinicTracker.Core.Sites;
using ClinicTracker.Core.Stock;

namespace ClinicTracker.Bench;

/// <summary>The database engines the seeder writes to, as the API's <c>Database:Provider</c> names them.</summary>
public enum BenchProvider
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Where the seeded clinic lives: for SQLite a folder (the file is <see cref="BenchDatabase.FileName"/> in it) or a
/// SQLite connection string; for PostgreSQL an Npgsql connection string (the database is dropped and re-created).
/// </summary>
public sealed record BenchTarget(BenchProvider Provider, string Connection)
{
    public static BenchTarget SqliteDirectory(string directory) => new(BenchProvider.Sqlite, directory);

    /// <summary>The SQLite file, or the PostgreSQL host and database: never a password.</summary>
    public string Describe()
    {
        if (Provider == BenchProvider.Postgres)
        {
            var builder = new NpgsqlConnectionStringBuilder(Connection);
            return FormattableString.Invariant($"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}");
        }

        return new SqliteConnectionStringBuilder(BenchDatabase.SqliteConnectionString(this)).DataSource;
    }
}

/// <summary>
/// A synthetic clinic made by the real migrations (SQLite or PostgreSQL): N active plans (half IV ketamine on
/// the iv-induction template, half esketamine on esketamine-standard), each with about 8 sessions of mixed
/// outcomes; optionally M more patients on oral ketamine, each with one session in progress that takes the
/// dose-write workload of bench/scale-out.sh. Deterministic for a given N, M and "today", so two runs measure
/// the same data.
/// </summary>
public static class BenchDatabase
{
    public const string FileName = "clinictracker.db";
    public const int DefaultPlans = 10_000;

    /// <summary>Sessions in progress that the dose-write benchmark spreads its doses over (the flag form's default).</summary>
    public const int DefaultDoseSessions = 2_000;

    /// <summary>MRN prefix of the dose-workload patients, so the read workloads can leave them out.</summary>
    public const string DoseWorkloadMrnPrefix = "BENCH-D-";

    /// <summary>Dosing weight of the dose-workload sessions, kg.</summary>
    public const decimal DoseWorkloadWeightKg = 70m;

    /// <summary>The first dose of each dose-workload session, mg oral ketamine (0.36 mg/kg).</summary>
    public const decimal DoseWorkloadFirstDoseMg = 25m;

    private const int Batch = 500;
    private const string User = "bench.seed";

    // A clinic group in three zones: the report resolves each zone once.
    private static readonly string[] Zones = ["America/New_York", "America/Chicago", "America/Los_Angeles"];

    public static DbContextOptions<ClinicDbContext> Options(string directory) => Options(BenchTarget.SqliteDirectory(directory));

    public static DbContextOptions<ClinicDbContext> Options(BenchTarget target)
    {
        var builder = new DbContextOptionsBuilder<ClinicDbContext>();
        // The same migrations assemblies as the API (DatabaseSetup.AddClinicDatabase).
        return (target.Provider == BenchProvider.Postgres
                ? builder.UseNpgsql(target.Connection, npgsql => npgsql.MigrationsAssembly(PostgresMigrationsAssembly.Name))
                : builder.UseSqlite(SqliteConnectionString(target), sqlite => sqlite.MigrationsAssembly(SqliteMigrationsAssembly.Name)))
            .Options;
    }

    /// <summary>A folder becomes its <see cref="FileName"/>; anything with an '=' is taken as a SQLite connection string.</summary>
    public static string SqliteConnectionString(BenchTarget target) => target.Connection.Contains('=', StringComparison.Ordinal)
        ? target.Connection
        : new SqliteConnectionStringBuilder { DataSource = Path.Combine(target.Connection, FileName), Pooling = true, ForeignKeys = true, DefaultTimeout = 30 }.ToString();

    public static bool Exists(string directory) => File.Exists(Path.Combine(directory, FileName));

    /// <summary>Creates (or replaces) the database in <paramref name="directory"/> with <paramref name="plans"/> active plans.</summary>
    public static Task SeedAsync(string directory, int plans, DateTime nowUtc, TextWriter log) =>
        SeedAsync(BenchTarget.SqliteDirectory(directory), plans, 0, nowUtc, log);

    /// <summary>
    /// Creates (or replaces) the database: <paramref name="plans"/> active plans with their history, then
    /// <paramref name="doseSessions"/> oral-ketamine patients with one session in progress each.
    /// </summary>
    public static async Task SeedAsync(BenchTarget target, int plans, int doseSessions, DateTime nowUtc, TextWriter log)
    {
        if (nowUtc.Kind != DateTimeKind.Utc)
        {
            // Npgsql refuses a non-UTC DateTime for timestamptz; SQLite would store local time as if it were UTC.
            throw new ArgumentException("The seed's clock must be UTC.", nameof(nowUtc));
        }

        var options = Options(target);
        await RecreateAsync(target);

        var random = new Random(20261127);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var sessions = 0;
        for (var first = 0; first < plans; first += Batch)
        {
            await using var db = new ClinicDbContext(options);
            db.ScopeTo(SiteScope.Everything);
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var i = first; i < Math.Min(first + Batch, plans); i++)
            {
                sessions += AddPatientWithPlan(db, i, random, nowUtc);
            }

            await db.SaveChangesAsync();
        }

        for (var first = 0; first < doseSessions; first += Batch)
        {
            await using var db = new ClinicDbContext(options);
            db.ScopeTo(SiteScope.Everything);
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var i = first; i < Math.Min(first + Batch, doseSessions); i++)
            {
                AddDoseWorkloadPatient(db, i, nowUtc);
            }

            await db.SaveChangesAsync();
        }

        if (target.Provider == BenchProvider.Postgres)
        {
            // Statistics and visibility map as a database that has been running a while has them; otherwise autovacuum
            // would do this work on the fresh tables during the first measurements.
            await using var db = new ClinicDbContext(options);
            db.ScopeTo(SiteScope.Everything);
            db.Database.SetCommandTimeout(TimeSpan.FromMinutes(5));
            await db.Database.ExecuteSqlRawAsync("VACUUM (ANALYZE);");
        }

        await log.WriteLineAsync(FormattableString.Invariant(
            $"Seeded {plans} active plans and {sessions} sessions, and {doseSessions} sessions in progress for the dose workload, in {started.Elapsed.TotalSeconds:F1} s: {target.Describe()}"));
    }

    /// <summary>Deletes the database (the SQLite file, or the PostgreSQL database) and makes it again with the real migrations.</summary>
    public static async Task RecreateAsync(BenchTarget target)
    {
        var options = Options(target);
        if (target.Provider == BenchProvider.Sqlite)
        {
            var file = new SqliteConnectionStringBuilder(SqliteConnectionString(target)).DataSource;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(file + suffix);
            }
        }
        else
        {
            await using var db = new ClinicDbContext(options);
            db.ScopeTo(SiteScope.Everything);
            await db.Database.EnsureDeletedAsync();
        }

        await using (var db = new ClinicDbContext(options))
        {
            db.ScopeTo(SiteScope.Everything);
            await db.Database.MigrateAsync();
            if (db.Database.IsSqlite())
            {
                // As the API does after migrating (DatabaseSetup): readers never block the writer.
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
            }
        }
    }

    /// <summary>
    /// The ids the HTTP workloads rotate over, one per line: patients.txt and plans.txt (the clinic of N plans),
    /// dose-sessions.txt (the sessions in progress of the dose workload).
    /// </summary>
    public static async Task WriteIdsAsync(BenchTarget target, string directory, TextWriter log)
    {
        Directory.CreateDirectory(directory);
        await using var db = new ClinicDbContext(Options(target));
        db.ScopeTo(SiteScope.Everything);
        await EnsureBenchLotsAsync(db);
        var patients = await db.Patients.AsNoTracking().Where(p => !p.Mrn.StartsWith(DoseWorkloadMrnPrefix))
            .OrderBy(p => p.Mrn).Select(p => p.Id).ToListAsync();
        var plans = await db.Plans.AsNoTracking().Where(p => p.Status == PlanStatus.Active && p.Route != AdministrationRoute.Oral)
            .OrderBy(p => p.Id).Select(p => p.Id).ToListAsync();
        var doseSessions = await db.Sessions.AsNoTracking()
            .Where(s => s.Route == AdministrationRoute.Oral && s.Status == SessionStatus.InProgress)
            .OrderBy(s => s.Id).Select(s => s.Id).ToListAsync();
        await Write("patients.txt", patients);
        await Write("plans.txt", plans);
        await Write("dose-sessions.txt", doseSessions);
        await log.WriteLineAsync(FormattableString.Invariant(
            $"Ids: {patients.Count} patients, {plans.Count} plans, {doseSessions.Count} dose sessions in {directory}"));

        Task Write(string name, List<Guid> ids) =>
            File.WriteAllLinesAsync(Path.Combine(directory, name), ids.Select(id => id.ToString("D", CultureInfo.InvariantCulture)));
    }

    /// <summary>
    /// The lot the dose workloads draw on (lotNumber BENCH-LOT, oral solution): received at every site, in a quantity
    /// no run exhausts, so the dose writes measure the API's shipped path (Stock:Enforce on: the lot is looked up,
    /// locked and its balance computed for every dose). Added once; later runs find it. A database generated before
    /// the stock tables existed is migrated first.
    /// </summary>
    public static async Task EnsureBenchLotsAsync(ClinicDbContext db)
    {
        await db.Database.MigrateAsync();
        var now = DateTime.UtcNow;
        var sites = await db.Sites.AsNoTracking().Select(s => s.Id).ToListAsync();
        var held = await db.StockLots.IgnoreQueryFilters().Where(l => l.LotNumberNormalized == "BENCH-LOT").Select(l => l.SiteId).ToListAsync();
        foreach (var site in sites.Except(held))
        {
            var lot = StockLot.Create(site, Medication.Ketamine, StockForm.OralSolution, 10m, "BENCH-LOT", DateOnly.FromDateTime(now).AddYears(5), null, User, now);
            db.StockLots.Add(lot);
            db.StockReceipts.Add(StockReceipt.Record(lot, 1_000_000_000m, now.AddDays(-1), "Bench", "BENCH", "bench.witness", User, now));
        }

        await db.SaveChangesAsync();
    }

    /// <summary>Standing doses and audit rows: a run's 201s must show up here, its refusals and 500s must not.</summary>
    public static async Task<(int Doses, long AuditRows)> CountsAsync(BenchTarget target)
    {
        await using var db = new ClinicDbContext(Options(target));
        db.ScopeTo(SiteScope.Everything);
        return (await db.Doses.CountAsync(d => d.Status == DoseStatus.Completed), await db.AuditEntries.LongCountAsync());
    }

    /// <summary>
    /// A patient on oral racemic ketamine whose session is under way: checked in an hour ago at 70 kg, a pre-dose
    /// BP of 122/78 (domain.md §4's gate, which applies to a session's first dose only), and a first dose of 25 mg
    /// (0.36 mg/kg). Every later dose of the benchmark (0.25 mg each) is judged on the patient's 24-hour total:
    /// the soft limit is 3.0 mg/kg = 210 mg at 70 kg (domain.md §3), so 740 of them fit in one session's day.
    /// </summary>
    private static void AddDoseWorkloadPatient(ClinicDbContext db, int i, DateTime nowUtc)
    {
        var patient = Patient.Register(new PatientDemographics(FormattableString.Invariant($"{DoseWorkloadMrnPrefix}{i:D6}"), "Dose", FormattableString.Invariant($"Patient{i:D6}"),
                new DateOnly(1970, 1, 1).AddDays(i % 7000), Sex.Unknown, null),
            Site.DefaultId, User, nowUtc);
        db.Patients.Add(patient);

        var zone = Zones[i % Zones.Length];
        var checkedInAt = nowUtc.AddHours(-1);
        // Starts on the session's day: the plan has nothing overdue, so it stays out of the clinic report's misses.
        var start = ClinicTime.LocalDate(checkedInAt, zone);
        var plan = TreatmentPlan.Create(patient.Id, Site.DefaultId, Medication.Ketamine, AdministrationRoute.Oral, start, zone, 1, null,
            [new PlanPhase("maintenance", 8, 7, null)], DoseWorkloadFirstDoseMg, null, User, nowUtc);
        db.Plans.Add(plan);

        var session = TreatmentSession.Schedule(plan, checkedInAt, User, nowUtc);
        session.CheckIn(DoseWorkloadWeightKg, WeightBasis.Actual, checkedInAt, User);
        db.Observations.Add(Observation.Record(session.Id, patient.Id, ObservationKind.BloodPressure, 122, 78, null,
            checkedInAt.AddMinutes(5), User, nowUtc));
        var facts = new DoseFacts(session.Id, patient.Id, Medication.Ketamine, AdministrationRoute.Oral, DoseWorkloadFirstDoseMg,
            checkedInAt.AddMinutes(10), null, null, null, "BENCH-LOT", null);
        var dose = DoseEntry.Record(facts, lotId: null, DoseWorkloadWeightKg, null, [], User, checkedInAt.AddMinutes(10));
        db.Doses.Add(dose);
        session.AddDose(dose.AmountUg, dose.AdministeredAt);
        db.Sessions.Add(session);
    }

    private static int AddPatientWithPlan(ClinicDbContext db, int i, Random random, DateTime nowUtc)
    {
        var patient = Patient.Register(new PatientDemographics(FormattableString.Invariant($"BENCH-{i:D6}"), "Bench", FormattableString.Invariant($"Patient{i:D6}"),
                new DateOnly(1950, 1, 1).AddDays(random.Next(0, 365 * 50)), Sex.Unknown, null),
            Site.DefaultId, User, nowUtc);
        db.Patients.Add(patient);

        var zone = Zones[i % Zones.Length];
        var today = ClinicTime.LocalDate(nowUtc, zone);
        var esketamine = i % 2 == 1;
        var template = esketamine ? PlanTemplates.EsketamineStandard : PlanTemplates.IvInduction;
        // Started 1–6 weeks ago: induction mostly behind, some due dates still ahead.
        var start = today.AddDays(-random.Next(7, 43));
        var plan = TreatmentPlan.Create(patient.Id, Site.DefaultId, esketamine ? Medication.Esketamine : Medication.Ketamine,
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
                var dose = DoseEntry.Record(facts, lotId: null, 70m, null, [], User, at.AddMinutes(10));
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
