using ClinicTracker.Core.Auditing;
using ClinicTracker.Core.Clinicians;
using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Idempotency;
using ClinicTracker.Core.Monitoring;
using ClinicTracker.Core.Outcomes;
using ClinicTracker.Core.Patients;
using ClinicTracker.Core.Plans;
using ClinicTracker.Core.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ClinicTracker.Core.Data;

/// <summary>The clinical record. Schema changes are made only by the committed migrations.</summary>
public sealed class ClinicDbContext(DbContextOptions<ClinicDbContext> options) : DbContext(options)
{
    public DbSet<Patient> Patients => Set<Patient>();

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

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ClinicDbContext).Assembly);

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
