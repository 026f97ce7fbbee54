using ClinicTracker.Core.Adherence;
using ClinicTracker.Core.Auditing;
using ClinicTracker.Core.Clinicians;
using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Exports;
using ClinicTracker.Core.Idempotency;
using ClinicTracker.Core.Monitoring;
using ClinicTracker.Core.Outcomes;
using ClinicTracker.Core.Patients;
using ClinicTracker.Core.Plans;
using ClinicTracker.Core.Sessions;
using ClinicTracker.Core.Sites;
using ClinicTracker.Core.Stock;
using ClinicTracker.Core.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
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

    // The plan columns adherence reads (domain.md §10; PlanAdherence): a change to any other leaves its summary as it is.
    private static readonly string[] PlanAdherenceColumns =
    [
        nameof(TreatmentPlan.Status), nameof(TreatmentPlan.StartDate), nameof(TreatmentPlan.TimeZone), nameof(TreatmentPlan.ToleranceDays),
        nameof(TreatmentPlan.Phases), nameof(TreatmentPlan.DiscontinuedOn), nameof(TreatmentPlan.CompletedOn), nameof(TreatmentPlan.SiteId),
    ];

    private readonly HashSet<Guid> plansWithAdherenceChanges = [];
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

    /// <summary>Controlled-substance stock (domain.md §12): lots and their receipts, disposals, counts and discrepancies, each kept at one site.</summary>
    public DbSet<StockLot> StockLots => Set<StockLot>();

    public DbSet<StockReceipt> StockReceipts => Set<StockReceipt>();

    public DbSet<StockDisposal> StockDisposals => Set<StockDisposal>();

    public DbSet<StockCount> StockCounts => Set<StockCount>();

    public DbSet<StockDiscrepancy> StockDiscrepancies => Set<StockDiscrepancy>();

    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<AuditChainHead> AuditChainHeads => Set<AuditChainHead>();

    public DbSet<Observation> Observations => Set<Observation>();

    public DbSet<AdverseEvent> AdverseEvents => Set<AdverseEvent>();

    public DbSet<AdherenceSummary> AdherenceSummaries => Set<AdherenceSummary>();

    /// <summary>Bulk FHIR exports and their files (ADR 0019): not patient-linked rows, so no site filter; the job keeps its owner's scope.</summary>
    public DbSet<ExportJob> ExportJobs => Set<ExportJob>();

    public DbSet<ExportFile> ExportFiles => Set<ExportFile>();

    /// <summary>Webhooks (ADR 0021): events written with the changes they report, subscriptions, deliveries and their attempts. Ids only, no site filter.</summary>
    public DbSet<OutboxEvent> OutboxEvents => Set<OutboxEvent>();

    public DbSet<WebhookSubscription> WebhookSubscriptions => Set<WebhookSubscription>();

    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    public DbSet<WebhookAttempt> WebhookAttempts => Set<WebhookAttempt>();

    /// <summary>
    /// The plans whose adherence the changes saved by this context may have changed (a session booked, closed or
    /// moved; a plan created, amended or ended), for <see cref="Adherence.AdherenceSummaries.RefreshAsync"/> in the
    /// same transaction (ADR 0016).
    /// </summary>
    public IReadOnlyCollection<Guid> PlansWithAdherenceChanges => plansWithAdherenceChanges;

    /// <summary>Forgets <see cref="PlansWithAdherenceChanges"/> (their summaries were refreshed, or the write was rolled back).</summary>
    public void ForgetAdherenceChanges() => plansWithAdherenceChanges.Clear();

    /// <summary>Whether this context runs on PostgreSQL (else SQLite, the only other provider): the few provider-specific statements ask here.</summary>
    public bool OnPostgres => Database.ProviderName == NpgsqlProvider;

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
        FilterByPatient<AdherenceSummary>(modelBuilder);
        FilterByPatient<PatientSearchTerm>(modelBuilder);
        // Stock is kept per site (domain.md §12, §14): a site's staff see its lots and their records, nobody else's.
        FilterBySite<StockLot>(modelBuilder);
        FilterBySite<StockReceipt>(modelBuilder);
        FilterBySite<StockDisposal>(modelBuilder);
        FilterBySite<StockCount>(modelBuilder);
        FilterBySite<StockDiscrepancy>(modelBuilder);

        if (OnPostgres)
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
        NoteAdherenceChanges();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    /// <summary>
    /// Saves, with the search terms of new and renamed patients in the same save (<see cref="PatientSearchIndex"/>), and
    /// notes the plans whose adherence the save changes (<see cref="PlansWithAdherenceChanges"/>).
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        await PatientSearchIndex.RefreshAsync(this, cancellationToken);
        NoteAdherenceChanges();
        return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    private void NoteAdherenceChanges()
    {
        foreach (var entry in ChangeTracker.Entries<TreatmentSession>())
        {
            if (entry.State is EntityState.Added or EntityState.Deleted ||
                (entry.State == EntityState.Modified && !Equals(AsAdherenceSeesIt(entry.OriginalValues), AsAdherenceSeesIt(entry.CurrentValues))))
            {
                plansWithAdherenceChanges.Add(entry.Entity.PlanId);
                if (entry.State == EntityState.Modified && entry.OriginalValues.GetValue<Guid>(nameof(TreatmentSession.PlanId)) is var before &&
                    before != entry.Entity.PlanId)
                {
                    plansWithAdherenceChanges.Add(before);
                }
            }
        }

        foreach (var entry in ChangeTracker.Entries<TreatmentPlan>())
        {
            if (entry.State is EntityState.Added or EntityState.Deleted ||
                (entry.State == EntityState.Modified && PlanAdherenceColumns.Any(c => entry.Property(c).IsModified)))
            {
                plansWithAdherenceChanges.Add(entry.Entity.Id);
            }
        }
    }

    /// <summary>
    /// A session as the adherence rules read it (domain.md §10; PlanAdherence.Session): scheduled, checked in and in
    /// progress are all "open", and the check-in instant dates only a completed session. A check-in or a first dose
    /// changes nothing here, so the write path of a dose never recomputes a summary.
    /// </summary>
    private static (Guid Plan, SessionStatus Status, CancelledBy? By, DateTime Scheduled, DateTime? CheckedIn) AsAdherenceSeesIt(PropertyValues v)
    {
        var status = v.GetValue<SessionStatus>(nameof(TreatmentSession.Status));
        var open = status is SessionStatus.Scheduled or SessionStatus.CheckedIn or SessionStatus.InProgress;
        return (v.GetValue<Guid>(nameof(TreatmentSession.PlanId)), open ? SessionStatus.Scheduled : status,
            v.GetValue<CancelledBy?>(nameof(TreatmentSession.CancelledBy)), v.GetValue<DateTime>(nameof(TreatmentSession.ScheduledAt)),
            status == SessionStatus.Completed ? v.GetValue<DateTime?>(nameof(TreatmentSession.CheckedInAt)) : null);
    }

    private void FilterByPatient<T>(ModelBuilder modelBuilder)
        where T : class, IPatientLinked =>
        modelBuilder.Entity<T>().HasQueryFilter(x => SeesAllSites || Set<Patient>().IgnoreQueryFilters().Any(p => p.Id == x.PatientId &&
            (VisibleSiteIds.Contains(p.HomeSiteId) ||
             Set<PatientShare>().IgnoreQueryFilters().Any(s => s.PatientId == p.Id && s.RevokedAt == null && VisibleSiteIds.Contains(s.SiteId)))));

    private void FilterBySite<T>(ModelBuilder modelBuilder)
        where T : class, ISiteLinked =>
        modelBuilder.Entity<T>().HasQueryFilter(x => SeesAllSites || VisibleSiteIds.Contains(x.SiteId));

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
