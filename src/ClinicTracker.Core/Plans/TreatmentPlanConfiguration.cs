using System.Text.Json;
using ClinicTracker.Core.Patients;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ClinicTracker.Core.Plans;

internal sealed class TreatmentPlanConfiguration : IEntityTypeConfiguration<TreatmentPlan>
{
    private static readonly JsonSerializerOptions PhaseJson = new(JsonSerializerDefaults.Web);

    public void Configure(EntityTypeBuilder<TreatmentPlan> builder)
    {
        builder.ToTable("treatment_plans");
        builder.HasKey(p => p.Id);
        builder.HasOne<Patient>().WithMany().HasForeignKey(p => p.PatientId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(p => new { p.PatientId, p.CreatedAt });
        builder.HasOne<Sites.Site>().WithMany().HasForeignKey(p => p.SiteId).OnDelete(DeleteBehavior.Restrict);
        // The clinic-wide adherence report walks one site's active plans (domain.md §14: reports are per site).
        builder.HasIndex(p => new { p.SiteId, p.Status });
        // The clinic-wide adherence report walks active plans.
        builder.HasIndex(p => p.Status);
        builder.Property(p => p.TimeZone).HasMaxLength(64);
        builder.Property(p => p.Template).HasMaxLength(32);
        // Phases are read and written whole with their plan: one JSON text column, the same on every provider.
        builder.Property(p => p.Phases)
            .HasConversion(
                v => JsonSerializer.Serialize(v, PhaseJson),
                v => JsonSerializer.Deserialize<List<PlanPhase>>(v, PhaseJson) ?? new List<PlanPhase>(),
                new ValueComparer<IReadOnlyList<PlanPhase>>(
                    (a, b) => JsonSerializer.Serialize(a, PhaseJson) == JsonSerializer.Serialize(b, PhaseJson),
                    v => JsonSerializer.Serialize(v, PhaseJson).GetHashCode(StringComparison.Ordinal),
                    v => v.ToList()))
            .HasMaxLength(8000);
        builder.Property(p => p.TargetDoseMg).HasPrecision(9, 2);
        builder.Property(p => p.TargetDoseMgPerKg).HasPrecision(9, 3);
        builder.Property(p => p.DiscontinuedBy).HasMaxLength(100);
        builder.Property(p => p.DiscontinuationReason).HasMaxLength(1000);
        builder.Property(p => p.CompletedBy).HasMaxLength(100);
        builder.Ignore(p => p.EndedOn);
        builder.Property(p => p.CreatedBy).HasMaxLength(100);
        builder.Property(p => p.Version).IsConcurrencyToken();
    }
}
