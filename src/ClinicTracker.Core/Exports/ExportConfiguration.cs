using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ClinicTracker.Core.Exports;

internal sealed class ExportJobConfiguration : IEntityTypeConfiguration<ExportJob>
{
    public void Configure(EntityTypeBuilder<ExportJob> builder)
    {
        builder.ToTable("export_jobs");
        builder.HasKey(j => j.Id);
        builder.Property(j => j.Owner).HasMaxLength(100);
        builder.Property(j => j.OwnerRoles).HasMaxLength(200);
        builder.Property(j => j.KickOffRoute).HasMaxLength(200);
        builder.Property(j => j.Group).HasMaxLength(64);
        builder.Property(j => j.Types).HasMaxLength(300);
        builder.Property(j => j.OutputFormat).HasMaxLength(64);
        builder.Property(j => j.LeaseOwner).HasMaxLength(200);
        builder.Property(j => j.Error).HasMaxLength(1000);
        builder.Property(j => j.Version).IsConcurrencyToken();
        builder.Ignore(j => j.Scope);
        builder.Ignore(j => j.TypeSet);
        // The workers' claim (queued jobs, and running ones whose lease ran out) and the clean-up of expired jobs.
        builder.HasIndex(j => new { j.Status, j.LeaseExpiresAt });
        builder.HasIndex(j => j.ExpiresAt);
        // The kick-off's limit on one user's jobs in flight.
        builder.HasIndex(j => new { j.Owner, j.Status });
    }
}

internal sealed class ExportFileConfiguration : IEntityTypeConfiguration<ExportFile>
{
    public void Configure(EntityTypeBuilder<ExportFile> builder)
    {
        builder.ToTable("export_files");
        builder.HasKey(f => f.Id);
        builder.HasOne<ExportJob>().WithMany().HasForeignKey(f => f.JobId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(f => f.ResourceType).HasMaxLength(64);
        // A batch writes one file per type once: a second writer of the same batch (which the version check already
        // stops) would fail here rather than duplicate patients. Also the manifest's order.
        builder.HasIndex(f => new { f.JobId, f.Batch, f.ResourceType }).IsUnique();
    }
}
