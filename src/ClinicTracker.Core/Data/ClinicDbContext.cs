using ClinicTracker.Core.Auditing;
using ClinicTracker.Core.Clinicians;
using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Idempotency;
using ClinicTracker.Core.Monitoring;
using ClinicTracker.Core.Outcomes;
using ClinicTracker.Core.Patients;
using ClinicTracker.Core.Plans;
using ClinicTracker.Core.Sessions;
using ClinicTracker.Core.Sites;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ClinicTracker.Core.Data;

/// <summary>
/// The clinical record. Schema changes are made only by the committed migrations. Every query of a patient-linked
/// entity is filtered by <see cref="SiteScope"/> (domain.md §14; ADR 0015): a context sees nothing of any patient
/// until it is scoped, and then only the patients of its sites and those shared with them.
/// </summary>
public sealed class ClinicDbContext(DbContextOptions<ClinicDbContext> options) : DbContext(options)
{
    private const string NpgsqlProvider = "Npgsql.EntityFrameworkCore.PostgreSQL";

    private SiteScope siteScope = SiteScope.None;

    /// <summary>Whose records this context sees; <see cref="SiteScope.None"/> until <see cref="ScopeTo"/>.</summary>
    public SiteScope SiteScope => siteScope;

    /// <summary>Read by the query filters at each query (EF sends them as parameters), so a scope set later still applies.</summary>
    internal bool SeesAllSites => siteScope.AllSites;

    internal List<Guid> VisibleSiteIds => siteScope.SiteIds;

    public DbSet<Site> Sites => Set<Site>();

    public DbSet<PatientShare> PatientShares => Set<PatientShare>();

    public DbSet<HomeSiteMove> HomeSiteMoves => Set<HomeSiteMove>();

    public DbSet<Patient> Patients => Set<Patient>();

    /// <summary>The words patients are found by; written only by <see cref="PatientSearchIndex"/> at each save.</summary>
    public DbSet<PatientSearchTerm> PatientSearchTerms => Set<PatientSearchTerm>();

    public DbSet<Clinician> Clinicians => Set<Clinician>();

    public DbSet<TreatmentPlan> Plans => Set<TreatmentPlan>();

    public DbSet<TreatmentSession> Sessions => Set<TreatmentSession>();

    public DbSet<DoseEntry> Doses => Set<DoseEntry>();

    public DbSet<WasteEntry> Waste => Set<WasteEntry>();

    public DbSet<Assessment> Assessments => Set<Assessment>();

    public DbSet<SafetyFlag> SafetyFlags => Set<SafetyFlag>();

    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<AuditChainHead> AuditChainHeads => Set<AuditChainHead>();

    public DbSet<Observation> Observations => Set<Observation>();

    public DbSet<AdverseEvent> AdverseEvents => Set<AdverseEvent>();

    /// <summary>Sets whose records this context sees from now on (the API: the caller's sites, once per request).</summary>
    public void ScopeTo(SiteScope scope) => siteScope = scope;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ClinicDbContext).Assembly);

        // The one place site visibility is enforced (OWASP API1; domain.md §14). A patient is visible to its home
        // site's staff and to the staff of a site its record is actively shared with; every other patient-linked
        // entity is visible exactly where its patient is. The inner sets ignore filters so the filters do not
        // refer to each other (EF refuses cycles); they repeat the patient rule instead.
        modelBuilder.Entity<Patient>().HasQueryFilter(p => SeesAllSites || VisibleSiteIds.Contains(p.HomeSiteId) ||
            Set<PatientShare>().IgnoreQueryFilters().Any(s => s.PatientId == p.Id && s.RevokedAt == null && VisibleSiteIds.Contains(s.SiteId)));
        FilterByPatient<TreatmentPlan>(modelBuilder);
        FilterByPatient<TreatmentSession>(modelBuilder);
        FilterByPatient<DoseEntry>(modelBuilder);
        FilterByPatient<WasteEntry>(modelBuilder);
        FilterByPatient<Observation>(modelBuilder);
        FilterByPatient<AdverseEvent>(modelBuilder);
        FilterByPatient<Assessment>(modelBuilder);
        FilterByPatient<SafetyFlag>(modelBuilder);
        FilterByPatient<PatientShare>(modelBuilder);
        FilterByPatient<HomeSiteMove>(modelBuilder);
        FilterByPatient<PatientSearchTerm>(modelBuilder);

        if (Database.ProviderName == NpgsqlProvider)
        {
            // A search word is a range on the term (term >= 'MUL' AND term < 'MUM'), which is a prefix range only in
            // code-point order: "C" compares UTF-8 bytes as SQLite's default BINARY does, while a language collation
            // (en_US…) orders 'MUL-' and 'MULA' by other rules. One provider per process, so one model per process.
            modelBuilder.Entity<PatientSearchTerm>().Property(t => t.Term).UseCollation("C");
        }
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        PatientSearchIndex.Refresh(this);
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    /// <summary>Saves, with the search terms of new and renamed patients in the same save (<see cref="PatientSearchIndex"/>).</summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        await PatientSearchIndex.RefreshAsync(this, cancellationToken);
        return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    private void FilterByPatient<T>(ModelBuilder modelBuilder)
        where T : class, IPatientLinked =>
        modelBuilder.Entity<T>().HasQueryFilter(x => SeesAllSites || Set<Patient>().IgnoreQueryFilters().Any(p => p.Id == x.PatientId &&
            (VisibleSiteIds.Contains(p.HomeSiteId) ||
             Set<PatientShare>().IgnoreQueryFilters().Any(s => s.PatientId == p.Id && s.RevokedAt == null && VisibleSiteIds.Contains(s.SiteId)))));

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every instant is stored as UTC; SQLite hands DateTime back as Unspecified, so mark it UTC on the way out.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        // Enums are stored by name so the database stays readable and reordering an enum cannot corrupt rows.
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
