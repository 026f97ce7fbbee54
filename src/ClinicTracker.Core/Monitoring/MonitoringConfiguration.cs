using ClinicTracker.Core.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ClinicTracker.Core.Monitoring;

internal sealed class ObservationConfiguration : IEntityTypeConfiguration<Observation>
{
    public void Configure(EntityTypeBuilder<Observation> builder)
    {
        builder.ToTable("observations");
        builder.HasKey(o => o.Id);
        builder.HasOne<TreatmentSession>().WithMany().HasForeignKey(o => o.SessionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(o => new { o.SessionId, o.ObservedAt });
        builder.HasIndex(o => o.PatientId);
        builder.Property(o => o.RecordedBy).HasMaxLength(100);
        builder.Property(o => o.VoidedBy).HasMaxLength(100);
        builder.Property(o => o.VoidReason).HasMaxLength(1000);
        builder.Ignore(o => o.FlagsSession);
    }
}

internal sealed class AdverseEventConfiguration : IEntityTypeConfiguration<AdverseEvent>
{
    public void Configure(EntityTypeBuilder<AdverseEvent> builder)
    {
        builder.ToTable("adverse_events");
        builder.HasKey(a => a.Id);
        builder.HasOne<TreatmentSession>().WithMany().HasForeignKey(a => a.SessionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(a => new { a.SessionId, a.OnsetAt });
        builder.HasIndex(a => a.PatientId);
        builder.Property(a => a.OtherType).HasMaxLength(100);
        builder.Property(a => a.Description).HasMaxLength(2000);
        builder.Property(a => a.RecordedBy).HasMaxLength(100);
        builder.Property(a => a.ResolutionRecordedBy).HasMaxLength(100);
        builder.Ignore(a => a.IsRemsReportable);
    }
}
