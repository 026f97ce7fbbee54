using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ClinicTracker.Core.Auditing;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("audit_entries");
        builder.HasKey(a => a.Id);
        builder.HasIndex(a => a.Sequence).IsUnique();
        builder.HasIndex(a => new { a.PatientId, a.Sequence });
        builder.HasIndex(a => new { a.UserName, a.Sequence });
        builder.HasIndex(a => a.At);
        builder.Property(a => a.UserName).HasMaxLength(100);
        builder.Property(a => a.Roles).HasMaxLength(200);
        builder.Property(a => a.Action).HasMaxLength(100);
        builder.Property(a => a.Method).HasMaxLength(10);
        builder.Property(a => a.Route).HasMaxLength(200);
        builder.Property(a => a.ResourceType).HasMaxLength(50);
        builder.Property(a => a.CorrelationId).HasMaxLength(100);
        builder.Property(a => a.PreviousHash).HasMaxLength(64);
        builder.Property(a => a.Hash).HasMaxLength(64);
    }
}
