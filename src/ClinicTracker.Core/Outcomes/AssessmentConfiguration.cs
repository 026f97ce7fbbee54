using System.Globalization;
using ClinicTracker.Core.Patients;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ClinicTracker.Core.Outcomes;

internal sealed class AssessmentConfiguration : IEntityTypeConfiguration<Assessment>
{
    public void Configure(EntityTypeBuilder<Assessment> builder)
    {
        builder.ToTable("assessments");
        builder.HasKey(a => a.Id);
        builder.HasOne<Patient>().WithMany().HasForeignKey(a => a.PatientId).OnDelete(DeleteBehavior.Restrict);
        // Lists walk (patient, assessed time, id) newest first; outcomes read a patient's assessments in time order.
        builder.HasIndex(a => new { a.PatientId, a.AssessedAt, a.Id });
        // Answers are read and written whole with their assessment: "1,2,0,…", the same text on every provider.
        builder.Property(a => a.Items)
            .HasConversion(
                v => string.Join(',', v.Select(i => i.ToString(CultureInfo.InvariantCulture))),
                v => v.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList(),
                new ValueComparer<IReadOnlyList<int>>(
                    (a, b) => a!.SequenceEqual(b!),
                    v => v.Aggregate(17, (hash, item) => HashCode.Combine(hash, item)),
                    v => v.ToList()))
            .HasMaxLength(64);
        builder.Property(a => a.Band).HasMaxLength(32);
        // Voiding is the only change: a concurrent second void finds the status moved and is refused, not applied twice.
        builder.Property(a => a.Status).IsConcurrencyToken();
        builder.Property(a => a.RecordedBy).HasMaxLength(100);
        builder.Property(a => a.VoidedBy).HasMaxLength(100);
        builder.Property(a => a.VoidReason).HasMaxLength(1000);
        builder.Ignore(a => a.RaisesSafetyFlag);
        builder.Ignore(a => a.Phq9Item9);
    }
}
