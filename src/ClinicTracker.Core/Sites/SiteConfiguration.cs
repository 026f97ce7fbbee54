using ClinicTracker.Core.Patients;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ClinicTracker.Core.Sites;

internal sealed class SiteConfiguration : IEntityTypeConfiguration<Site>
{
    public void Configure(EntityTypeBuilder<Site> builder)
    {
        builder.ToTable("sites");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Name).HasMaxLength(100);
        builder.Property(s => s.NameNormalized).HasMaxLength(100);
        builder.HasIndex(s => s.NameNormalized).IsUnique();
        builder.Property(s => s.TimeZone).HasMaxLength(64);
        builder.Property(s => s.Address).HasMaxLength(500);
        builder.Property(s => s.DeaRegistration).HasMaxLength(9);
        // One DEA registration per location: two sites cannot hold the same number (several may hold none).
        builder.HasIndex(s => s.DeaRegistration).IsUnique();
        builder.Property(s => s.CreatedBy).HasMaxLength(100);
        builder.Property(s => s.UpdatedBy).HasMaxLength(100);
        builder.Property(s => s.Version).IsConcurrencyToken();
    }
}

internal sealed class PatientShareConfiguration : IEntityTypeConfiguration<PatientShare>
{
    public void Configure(EntityTypeBuilder<PatientShare> builder)
    {
        builder.ToTable("patient_shares");
        builder.HasKey(s => s.Id);
        builder.HasOne<Patient>().WithMany().HasForeignKey(s => s.PatientId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Site>().WithMany().HasForeignKey(s => s.SiteId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(s => new { s.PatientId, s.Id });
        // The visibility filter looks up a patient's active shares for the caller's sites; and one active share
        // per patient and site, held by the index when two grants race. Plain SQL both providers read.
        builder.HasIndex(s => new { s.PatientId, s.SiteId }).IsUnique().HasDatabaseName("UX_patient_shares_active")
            .HasFilter("\"RevokedAt\" IS NULL");
        builder.HasIndex(s => s.SiteId);
        builder.Property(s => s.Reason).HasMaxLength(1000);
        builder.Property(s => s.GrantedBy).HasMaxLength(100);
        builder.Property(s => s.RevokedBy).HasMaxLength(100);
        builder.Property(s => s.RevocationReason).HasMaxLength(1000);
        builder.Ignore(s => s.IsActive);
    }
}

internal sealed class HomeSiteMoveConfiguration : IEntityTypeConfiguration<HomeSiteMove>
{
    public void Configure(EntityTypeBuilder<HomeSiteMove> builder)
    {
        builder.ToTable("home_site_moves");
        builder.HasKey(m => m.Id);
        builder.HasOne<Patient>().WithMany().HasForeignKey(m => m.PatientId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Site>().WithMany().HasForeignKey(m => m.FromSiteId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Site>().WithMany().HasForeignKey(m => m.ToSiteId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(m => new { m.PatientId, m.Id });
        builder.Property(m => m.Reason).HasMaxLength(1000);
        builder.Property(m => m.MovedBy).HasMaxLength(100);
    }
}
