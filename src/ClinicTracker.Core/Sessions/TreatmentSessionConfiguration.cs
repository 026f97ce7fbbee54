using ClinicTracker.Core.Patients;
using ClinicTracker.Core.Plans;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ClinicTracker.Core.Sessions;

internal sealed class TreatmentSessionConfiguration : IEntityTypeConfiguration<TreatmentSession>
{
    public void Configure(EntityTypeBuilder<TreatmentSession> builder)
    {
        builder.ToTable("treatment_sessions");
        builder.HasKey(s => s.Id);
        builder.HasOne<Patient>().WithMany().HasForeignKey(s => s.PatientId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<TreatmentPlan>().WithMany().HasForeignKey(s => s.PlanId).OnDelete(DeleteBehavior.Restrict);
        // Session history: newest first per patient, keyset on (ScheduledAt, Id).
        builder.HasIndex(s => new { s.PatientId, s.ScheduledAt, s.Id });
        builder.HasIndex(s => new { s.PlanId, s.ScheduledAt });
        builder.HasIndex(s => s.Status);
        builder.HasOne<Sites.Site>().WithMany().HasForeignKey(s => s.SiteId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(s => new { s.SiteId, s.ScheduledAt });
        // domain.md §4: at most one session per patient checked in or in progress. The check-in rule refuses a
        // second one (session.patient-busy); this partial unique index holds it when two check-ins race. Enums
        // are stored by name; the filter is plain SQL that SQLite and PostgreSQL both read.
        builder.HasIndex(s => s.PatientId).IsUnique().HasDatabaseName("UX_treatment_sessions_open_per_patient")
            .HasFilter("\"Status\" IN ('CheckedIn', 'InProgress')");
        builder.Property(s => s.WeightKg).HasPrecision(5, 2);
        builder.Property(s => s.CheckedInBy).HasMaxLength(100);
        builder.Property(s => s.CompletedBy).HasMaxLength(100);
        builder.Property(s => s.EndedBy).HasMaxLength(100);
        builder.Property(s => s.EndReason).HasMaxLength(1000);
        builder.Property(s => s.CreatedBy).HasMaxLength(100);
        // Every change (a transition, a dose, a void) bumps the version, so two concurrent doses cannot both
        // pass the session-total limit check: the second save fails and is refused with a 409.
        builder.Property(s => s.Version).IsConcurrencyToken();
        builder.Ignore(s => s.DoseTotalMg);
    }
}
