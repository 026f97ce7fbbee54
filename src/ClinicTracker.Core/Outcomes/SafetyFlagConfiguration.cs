using ClinicTracker.Core.Patients;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ClinicTracker.Core.Outcomes;

internal sealed class SafetyFlagConfiguration : IEntityTypeConfiguration<SafetyFlag>
{
    public void Configure(EntityTypeBuilder<SafetyFlag> builder)
    {
        builder.ToTable("safety_flags");
        builder.HasKey(f => f.Id);
        builder.HasOne<Patient>().WithMany().HasForeignKey(f => f.PatientId).OnDelete(DeleteBehavior.Restrict);
        // One flag per assessment: a retried or replayed save cannot raise it twice.
        builder.HasOne<Assessment>().WithOne().HasForeignKey<SafetyFlag>(f => f.AssessmentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(f => f.AssessmentId).IsUnique();
        // The patient's open-flag count (on every patient read) and the status-filtered list, newest first.
        builder.HasIndex(f => new { f.PatientId, f.Status, f.Id });
        builder.Property(f => f.Reason).HasMaxLength(32);
        // Two prescribers acknowledging at once: the second save finds the status moved and is refused.
        builder.Property(f => f.Status).IsConcurrencyToken();
        builder.Property(f => f.AcknowledgedBy).HasMaxLength(100);
        builder.Property(f => f.ActionTaken).HasMaxLength(1000);
    }
}
