using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ClinicTracker.Core.Auditing;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("audit_entries");
        builder.HasKey(a => a.Id);
        builder.HasIndex(a => new { a.Chain, a.Sequence }).IsUnique();
        // The list is newest first by id (recording order, ADR 0013), filtered by patient or user.
        builder.HasIndex(a => new { a.PatientId, a.Id });
        builder.HasIndex(a => new { a.UserName, a.Id });
        builder.HasIndex(a => new { a.SiteId, a.Id });
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

internal sealed class AuditChainHeadConfiguration : IEntityTypeConfiguration<AuditChainHead>
{
    public void Configure(EntityTypeBuilder<AuditChainHead> builder)
    {
        builder.ToTable("audit_chain_heads");
        builder.HasKey(h => h.Chain);
        builder.Property(h => h.Chain).ValueGeneratedNever();
        builder.Property(h => h.Hash).HasMaxLength(64);
        builder.HasData(AuditChainHead.Initial());
    }
}
