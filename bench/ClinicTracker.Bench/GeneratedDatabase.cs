using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using ClinicTracker.Core.Adherence;
using ClinicTracker.Core.Common;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Plans;
using ClinicTracker.Core.Sessions;
using ClinicTracker.Core.Sites;
using Microsoft.EntityFrameworkCore;
using static System.FormattableString;

namespace ClinicTracker.Bench;

/// <summary>
/// The <c>generate</c> and <c>workload-ids</c> commands: a clinic of <see cref="GenerateSize"/> made by
/// <see cref="ClinicGenerator"/>, written through the real migrations and <see cref="BulkInsert"/>, and the ids the HTTP
/// workloads of bench/run.sh rotate over.
/// </summary>
public static class GeneratedDatabase
{
    /// <summary>A marker row's worth of facts about the generation, next to a SQLite file or in run.sh's folder.</summary>
    public const string StampFile = "generated.txt";

    public static async Task GenerateAsync(BenchTarget target, GenerateSize size, int seed, DateTime nowUtc, TextWriter log)
    {
        var total = Stopwatch.StartNew();
        var step = Stopwatch.StartNew();
        await BenchDatabase.RecreateAsync(target);
        var options = BenchDatabase.Options(target);
        await log.WriteLineAsync(Invariant($"migrated: {step.Elapsed.TotalSeconds:F1} s ({target.Describe()})"));

        step.Restart();
        GeneratedClinic clinic;
        ClinicGenerator generator;
        await using (var db = new ClinicDbContext(options))
        {
            db.ScopeTo(SiteScope.Everything);
            // The default site the migration made (domain.md §14), changed through the domain as an admin would.
            var defaultSite = await db.Sites.SingleAsync(s => s.Id == Site.DefaultId);
            generator = new ClinicGenerator(size, seed, nowUtc);
            clinic = generator.Build(defaultSite);
            db.Sites.AddRange(clinic.NewSites);
            db.Clinicians.AddRange(clinic.Clinicians);
            await db.SaveChangesAsync();
        }

        await log.WriteLineAsync(Invariant($"built in memory: {step.Elapsed.TotalSeconds:F1} s"));

        step.Restart();
        await using (var db = new ClinicDbContext(options))
        {
            db.ScopeTo(SiteScope.Everything);
            db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
            var bulk = new BulkInsert(db);
            var tables = new[] { "patients", "treatment_plans", "treatment_sessions", "dose_entries", "waste_entries", "observations", "assessments", "safety_flags" };
            if (!bulk.IsPostgres)
            {
                // One writer and no other reader: no fsync per page while filling; the foreign keys are checked once at the end.
                await db.Database.ExecuteSqlRawAsync("PRAGMA foreign_keys=OFF; PRAGMA synchronous=OFF;");
            }

            await bulk.DropIndexesAsync(tables);
            // In id order, which is recording order (Ids.V7): the tables' pages hold the patients interleaved, as years of
            // visits leave them, not each patient's rows side by side.
            await Insert(bulk, clinic.Patients, "patients", log);
            await Insert(bulk, clinic.Plans, "treatment_plans", log);
            await Insert(bulk, clinic.Sessions, "treatment_sessions", log);
            await Insert(bulk, clinic.Doses, "dose_entries", log);
            await Insert(bulk, clinic.Waste, "waste_entries", log);
            await Insert(bulk, clinic.Observations, "observations", log);
            await Insert(bulk, clinic.Assessments, "assessments", log);
            await Insert(bulk, clinic.SafetyFlags, "safety_flags", log);
            var indexes = Stopwatch.StartNew();
            await bulk.RestoreIndexesAsync();
            await log.WriteLineAsync(Invariant($"  indexes re-created: {indexes.Elapsed.TotalSeconds:F1} s"));
            if (bulk.IsPostgres)
            {
                indexes.Restart();
                // Statistics and visibility map as a database that has been running a while has them (as the seed does).
                await db.Database.ExecuteSqlRawAsync("VACUUM (ANALYZE);");
                await log.WriteLineAsync(Invariant($"  VACUUM (ANALYZE): {indexes.Elapsed.TotalSeconds:F1} s"));
            }
            else
            {
                var broken = await db.Database.SqlQueryRaw<string>("SELECT \"table\" AS \"Value\" FROM pragma_foreign_key_check").ToListAsync();
                if (broken.Count > 0)
                {
                    throw new InvalidOperationException($"Foreign keys broken in: {string.Join(", ", broken.Distinct())}");
                }

                await db.Database.ExecuteSqlRawAsync("PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;");
            }
        }

        await log.WriteLineAsync(Invariant($"written: {step.Elapsed.TotalSeconds:F1} s"));

        // Per-plan adherence summaries (ADR 0016): the bulk rows bypassed the write path that keeps them, so they are
        // computed here from the plans and sessions, as of the generator's "now".
        step.Restart();
        await using (var db = new ClinicDbContext(options))
        {
            db.ScopeTo(SiteScope.Everything);
            db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
            var summaries = await AdherenceSummaries.RebuildAsync(db, nowUtc, CancellationToken.None);
            if (db.OnPostgres)
            {
                await db.Database.ExecuteSqlRawAsync("VACUUM (ANALYZE) adherence_summaries;");
            }

            await log.WriteLineAsync(Invariant($"adherence summaries of {summaries} active plans: {step.Elapsed.TotalSeconds:F1} s"));
        }

        await PrintAsync(options, generator, size, seed, total.Elapsed, log);
        if (target.Provider == BenchProvider.Sqlite && !target.Connection.Contains('=', StringComparison.Ordinal))
        {
            await File.WriteAllTextAsync(Path.Combine(target.Connection, StampFile), Stamp(size, seed));
        }
    }

    /// <summary>What run.sh compares to decide whether a generated database can be reused.</summary>
    public static string Stamp(GenerateSize size, int seed) => Invariant($"size={size.Name} seed={seed}\n");

    private static async Task Insert<T>(BulkInsert bulk, List<T> rows, string table, TextWriter log)
        where T : class
    {
        var watch = Stopwatch.StartNew();
        var id = typeof(T).GetProperty("Id")!;
        var keyed = rows.Select(r => (Key: (Guid)id.GetValue(r)!, Row: r)).ToList();
        // Big-endian byte order is the order of PostgreSQL's uuid and of SQLite's upper-case text form.
        keyed.Sort((a, b) => CompareBigEndian(a.Key, b.Key));
        await bulk.InsertAsync(keyed.Select(k => k.Row).ToList());
        await log.WriteLineAsync(Invariant($"  {table}: {rows.Count:N0} rows, {watch.Elapsed.TotalSeconds:F1} s ({rows.Count / Math.Max(0.001, watch.Elapsed.TotalSeconds):N0}/s)"));
    }

    private static int CompareBigEndian(Guid a, Guid b)
    {
        Span<byte> x = stackalloc byte[16];
        Span<byte> y = stackalloc byte[16];
        a.TryWriteBytes(x, bigEndian: true, out _);
        b.TryWriteBytes(y, bigEndian: true, out _);
        return x.SequenceCompareTo(y);
    }

    /// <summary>Rows per table, sessions by status, voided doses, per site, from the database (what was written, not what was meant).</summary>
    private static async Task PrintAsync(Microsoft.EntityFrameworkCore.DbContextOptions<ClinicDbContext> options, ClinicGenerator generator,
        GenerateSize size, int seed, TimeSpan elapsed, TextWriter log)
    {
        await using var db = new ClinicDbContext(options);
        db.ScopeTo(SiteScope.Everything);
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        await log.WriteLineAsync(Invariant($"Generated the {size.Name} clinic (seed {seed}) in {elapsed.TotalSeconds:F1} s:"));
        await log.WriteLineAsync(Invariant(
            $"  sites {await db.Sites.CountAsync()}, clinicians {await db.Clinicians.CountAsync()}, patients {await db.Patients.CountAsync():N0} ({await db.Patients.CountAsync(p => p.ArchivedAt != null)} archived)"));
        await log.WriteLineAsync(Invariant(
            $"  plans {await db.Plans.CountAsync():N0}: ") + string.Join(", ", (await db.Plans.GroupBy(p => p.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync())
                .OrderBy(g => g.Key).Select(g => Invariant($"{EnumNames.Kebab(g.Key)} {g.Count:N0}"))));
        await log.WriteLineAsync(Invariant(
            $"  sessions {await db.Sessions.CountAsync():N0}: ") + string.Join(", ", (await db.Sessions.GroupBy(s => s.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync())
                .OrderBy(g => g.Key).Select(g => Invariant($"{EnumNames.Kebab(g.Key)} {g.Count:N0}"))));
        var routes = await db.Doses.GroupBy(d => new { d.Medication, d.Route }).Select(g => new { g.Key.Medication, g.Key.Route, Count = g.Count() }).ToListAsync();
        await log.WriteLineAsync(Invariant(
            $"  doses {await db.Doses.CountAsync():N0} ({await db.Doses.CountAsync(d => d.Status == DoseStatus.EnteredInError):N0} voided, {await db.Doses.CountAsync(d => d.ReplacesDoseId != null):N0} replacements): ") +
            string.Join(", ", routes.OrderBy(r => r.Route).Select(r => Invariant($"{EnumNames.Kebab(r.Medication)}/{EnumNames.Kebab(r.Route)} {r.Count:N0}"))));
        await log.WriteLineAsync(Invariant(
            $"  waste {await db.Waste.CountAsync():N0}, observations {await db.Observations.CountAsync():N0}, assessments {await db.Assessments.CountAsync():N0}, safety flags {await db.SafetyFlags.CountAsync():N0}"));
        var patientsBySite = await db.Patients.GroupBy(p => p.HomeSiteId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
        var sessionsBySite = await db.Sessions.GroupBy(s => s.SiteId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
        foreach (var site in generator.Sites)
        {
            await log.WriteLineAsync(Invariant(
                $"  site {site.Site.Name} ({site.Site.TimeZone}): patients {patientsBySite.FirstOrDefault(p => p.Key == site.Site.Id)?.Count ?? 0:N0}, sessions {sessionsBySite.FirstOrDefault(s => s.Key == site.Site.Id)?.Count ?? 0:N0}"));
        }
    }

    /// <summary>
    /// The ids of bench/run.sh's workloads, one per line, in <paramref name="directory"/>: patients.txt (not archived),
    /// plans.txt (active plans), sessions.txt (completed sessions, for session detail), write-sessions.txt (the sessions
    /// in progress of the write workloads), mrn-prefixes.txt and name-prefixes.txt (3–4 characters, each matching at
    /// least a page of 50 patients as the search matches them), deep-history.txt ("patientId cursor": the long-history
    /// patients and the cursor after their 5,000th session, encoded as SessionHistory encodes it).
    /// </summary>
    public static async Task WriteIdsAsync(BenchTarget target, string directory, TextWriter log)
    {
        Directory.CreateDirectory(directory);
        await using var db = new ClinicDbContext(BenchDatabase.Options(target));
        db.ScopeTo(SiteScope.Everything);
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(5));
        await BenchDatabase.EnsureBenchLotsAsync(db);
        var patients = await db.Patients.AsNoTracking().Where(p => p.ArchivedAt == null)
            .Select(p => new { p.Id, p.MrnNormalized, p.SortName }).ToListAsync();
        // A fixed shuffle: consecutive requests read patients of any site and history length.
        var shuffled = patients.OrderBy(p => p.Id.GetHashCode()).ThenBy(p => p.Id).Select(p => p.Id).ToList();
        var plans = await db.Plans.AsNoTracking().Where(p => p.Status == PlanStatus.Active).Select(p => p.Id).ToListAsync();
        var completed = await db.Sessions.AsNoTracking().Where(s => s.Status == SessionStatus.Completed).Select(s => s.Id).ToListAsync();
        var stride = Math.Max(1, completed.Count / 10_000);
        var sessions = completed.Where((_, i) => i % stride == 0).ToList();
        var writes = await db.Sessions.AsNoTracking()
            .Where(s => s.Status == SessionStatus.InProgress && s.Route == AdministrationRoute.Oral && s.WeightKg == BenchDatabase.DoseWorkloadWeightKg)
            .OrderBy(s => s.Id).Select(s => s.Id).ToListAsync();

        // The search matches a word against the start of the MRN, of "FAMILY GIVEN" or of a later word of it (SearchPatients).
        bool Matches(string mrn, string sortName, string word) =>
            mrn.StartsWith(word, StringComparison.Ordinal) || sortName.StartsWith(word, StringComparison.Ordinal) ||
            sortName.Contains(" " + word, StringComparison.Ordinal);
        List<string> Prefixes(IEnumerable<string> candidates) => [.. candidates.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Where(w => patients.Count(p => Matches(p.MrnNormalized, p.SortName, w)) >= Paging50)];
        var mrnPrefixes = Prefixes(patients.Where(p => !p.MrnNormalized.StartsWith(ClinicGenerator.LongHistoryMrnPrefix, StringComparison.Ordinal))
            .Select(p => p.MrnNormalized[..4]));
        var families = patients.Select(p => p.SortName.Split(' ')[0]).Where(f => f.Length >= 4).ToList();
        var namePrefixes = Prefixes(families.Select(f => f[..4]).Concat(families.Select(f => f[..3])));

        var deep = new List<string>();
        var longHistory = await db.Patients.AsNoTracking().Where(p => p.MrnNormalized.StartsWith(ClinicGenerator.LongHistoryMrnPrefix))
            .OrderBy(p => p.MrnNormalized).Select(p => p.Id).ToListAsync();
        foreach (var patientId in longHistory)
        {
            // The 5,000th session newest first, in SessionHistory's order (ScheduledAt, then Id, descending): its cursor
            // is InstantCursor.Encode of that row, base64url of "ticks:id".
            var at = await db.Sessions.AsNoTracking().Where(s => s.PatientId == patientId)
                .OrderByDescending(s => s.ScheduledAt).ThenByDescending(s => s.Id).Skip(DeepPageAfter - 1)
                .Select(s => new { s.ScheduledAt, s.Id }).FirstAsync();
            var cursor = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{at.ScheduledAt.Ticks}:{at.Id}")));
            deep.Add(Invariant($"{patientId} {cursor}"));
        }

        await Write("patients.txt", shuffled.Select(Text));
        await Write("plans.txt", plans.Select(Text));
        await Write("sessions.txt", sessions.Select(Text));
        await Write("write-sessions.txt", writes.Select(Text));
        await Write("mrn-prefixes.txt", mrnPrefixes);
        await Write("name-prefixes.txt", namePrefixes);
        await Write("deep-history.txt", deep);
        await log.WriteLineAsync(Invariant(
            $"Ids: {shuffled.Count} patients, {plans.Count} active plans, {sessions.Count} completed sessions, {writes.Count} write sessions, {mrnPrefixes.Count} MRN and {namePrefixes.Count} name prefixes, {deep.Count} deep-history cursors in {directory}"));

        static string Text(Guid id) => id.ToString("D", CultureInfo.InvariantCulture);
        Task Write(string name, IEnumerable<string> lines) => File.WriteAllLinesAsync(Path.Combine(directory, name), lines);
    }

    /// <summary>The deep page of session history starts after this many sessions of one patient (issue 11).</summary>
    public const int DeepPageAfter = 5_000;

    private const int Paging50 = 50;
}
